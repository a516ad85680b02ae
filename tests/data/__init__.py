"""Test data: the seed's truth, and builders for corpora the tests write themselves."""
