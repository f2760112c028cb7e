"""Reading py-spy's collapsed stacks (bench/profiling.py), used by `bench.load --profile`."""

from bench.profiling import frame_name, on_stack_shares


def test_frame_names_keep_the_function_and_the_file():
    assert frame_name("validate (/venv/lib/jsonschema/validators.py:1100)") == "validate (validators.py)"
    assert frame_name("<module> (rasa)") == "<module> (rasa)"
    assert frame_name("process_idle") == "process_idle"


def test_a_function_counts_once_per_sample_even_when_recursive(tmp_path):
    path = tmp_path / "rasa.txt"
    path.write_text("main (a.py:1);descend (v.py:5);descend (v.py:5) 3\nmain (a.py:1);save (store.py:9) 2\n")
    total, shares = on_stack_shares(path)
    assert total == 5
    assert shares["main (a.py)"] == 5
    assert shares["descend (v.py)"] == 3
    assert shares["save (store.py)"] == 2
