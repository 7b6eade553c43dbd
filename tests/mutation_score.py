"""
The mutation score of the last `mutmut run` (`make mutate`), per module and overall, from the
results mutmut keeps under mutants/. A mutant counts as caught when a test failed on it
(killed) or it ran past its time (timeout: a test noticed something was wrong).

Survivors named in tests/MUTATION.md (as `module.x_function__mutmut_N`) were judged equivalent:
they change no behaviour anyone could see. The score is given with and without them, and the
survivors not named there are listed: each is a test to write, or a judgement to record.
Not a test module (pytest does not collect it).
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATUS = {0: "survived", 1: "killed", 3: "killed", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS.update(dict.fromkeys([24, -24, 36, 152, 255], "timeout"))
CAUGHT = {"killed", "timeout"}
EQUIVALENT_HEADING = "## Surviving mutants judged equivalent"


def results():
    """{module: {mutant name: status}} from mutmut's .meta files."""
    found = {}
    for meta in sorted((ROOT / "mutants").glob("**/*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants"))[: -len(".meta")]
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        found[module] = {
            name: "not checked" if code is None else STATUS.get(code, "suspicious")
            for name, code in codes.items()
        }
    return found


def judged_equivalent():
    """The mutant names in MUTATION.md's section on equivalent survivors (and only there)."""
    path = ROOT / "tests" / "MUTATION.md"
    text = path.read_text() if path.exists() else ""
    section = (
        text.split(EQUIVALENT_HEADING, 1)[-1].split("\n## ", 1)[0]
        if EQUIVALENT_HEADING in text
        else ""
    )
    return set(re.findall(r"`([\w.]+__mutmut_\d+)`", section))


def percent(part, whole):
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def main():
    by_module = results()
    if not by_module:
        sys.exit("No mutation results: run `make mutate` first.")
    equivalent = judged_equivalent()
    print(
        f"{'module':26} {'mutants':>7} {'caught':>6} {'survived':>8} {'equiv.':>6}  score  w/o eq."
    )
    totals = Counter()
    unjudged = []
    for module, statuses in by_module.items():
        counts = Counter(statuses.values())
        caught = sum(counts[status] for status in CAUGHT)
        survivors = [name for name, status in statuses.items() if status == "survived"]
        equiv = sum(name in equivalent for name in survivors)
        unjudged += [name for name in survivors if name not in equivalent]
        unjudged += [name for name, s in statuses.items() if s not in CAUGHT | {"survived"}]
        total = len(statuses)
        totals.update(total=total, caught=caught, survived=len(survivors), equiv=equiv)
        print(
            f"{module:26} {total:7} {caught:6} {len(survivors):8} {equiv:6} "
            f"{percent(caught, total)} {percent(caught, total - equiv)}"
        )
    print(
        f"{'all':26} {totals['total']:7} {totals['caught']:6} {totals['survived']:8} "
        f"{totals['equiv']:6} {percent(totals['caught'], totals['total'])} "
        f"{percent(totals['caught'], totals['total'] - totals['equiv'])}"
    )
    if unjudged:
        print("\nNot caught and not judged equivalent in tests/MUTATION.md:")
        for name in unjudged:
            print(f"    {name}")
        print("See one with: .venv/bin/mutmut show NAME")


if __name__ == "__main__":
    main()
