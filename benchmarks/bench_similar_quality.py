"""Quality of `lushbeat similar` on tagged corpora, with tags hidden: precision@5 against baselines.

Run from the repository root (needs ../shared/corpora and the `bench` extra for scikit-learn):

    .venv/bin/pip install -q -e '.[bench]' && .venv/bin/python benchmarks/bench_similar_quality.py

For each corpus the content is copied to a temporary folder and `tags`, `topics`, `keywords`,
`category` and `categories` are removed from every file's front matter (with lushbeat's in-place
editor, so nothing else changes). `lushbeat similar --all --format jsonl` then runs as a whole
process, and each suggestion counts as a hit when it shares at least one label (labels.json) with
its source; labels carried by more than a quarter of the corpus are too generic and not counted.
Baselines see the same stripped text and the same pool (published articles, any date):
(a) random, (b) rapidfuzz title similarity only, (c) TF-IDF cosine (scikit-learn, sublinear TF,
English stop words) over title + summary + body. "tags visible" runs lushbeat on an unstripped
copy (digitalgov's `topics` renamed to `tags`, which is what lushbeat reads).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from similar_support import CORPORA, lushbeat, machine_lines

LABEL_KEYS = ("tags", "topics", "keywords", "category", "categories")
K = 5
GENERIC_SHARE = 0.25


def prepare(corpus: Path, target: Path, *, hide: bool) -> tuple[int, int]:
    """Copy ``corpus/content`` into ``target``; hide labels or expose topics as tags."""
    from lushbeat_cli.core.edit import remove_field

    shutil.copytree(corpus / "content", target / "content")
    (target / "lushbeat.toml").write_text('content_dir = "content"\ndefault_lang = "en"\n')
    changed = failed = 0
    for path in sorted((target / "content").rglob("*.md")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            failed += 1
            continue
        new = text
        if hide:
            for key in LABEL_KEYS:
                try:
                    new = remove_field(new, key)
                except Exception:  # the editor lets some YAML errors through
                    # e.g. a repeated key or broken YAML: remove the lines as text instead.
                    new = strip_key_lines(new, key)
        elif "\ntopics:" in new and "\ntags:" not in new:
            new = new.replace("\ntopics:", "\ntags:", 1)
        if new != text:
            path.write_text(new, encoding="utf-8", newline="")
            changed += 1
    return changed, failed


def strip_key_lines(text: str, key: str) -> str:
    """Drop every ``key:`` line of a YAML front matter and the indented or list lines under it."""
    lines = text.splitlines(keepends=True)
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"][:2]
    if len(fences) < 2 or any(line.strip() for line in lines[: fences[0]]):
        return text
    kept = lines[: fences[0] + 1]
    dropping = False
    for line in lines[fences[0] + 1 : fences[1]]:
        if re.match(rf"{re.escape(key)}\s*:", line):
            dropping = True
        elif not (dropping and (line[:1] in (" ", "\t") or line.startswith("- "))):
            dropping = False
            kept.append(line)
    return "".join(kept + lines[fences[1] :])


def run_similar(root: Path, *extra: str) -> tuple[dict[str, list[str]], float]:
    """Whole-process `lushbeat similar --all --format jsonl`: {path: [suggested paths]}, seconds."""
    command = [lushbeat(), "similar", "--all", "--format", "jsonl", *extra]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):  # 1: some files could not be read (reported)
        sys.exit(f"lushbeat failed ({result.returncode}): {result.stderr[-2000:]}")
    lists = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        lists[record["path"]] = [item["path"] for item in record["similar"]]
    return lists, seconds


def load_articles(root: Path) -> list:
    from lushbeat_cli.core.config import load_config
    from lushbeat_cli.core.reading.corpus import load_corpus

    return load_corpus(load_config(root)).articles


def baselines(root: Path, articles: list, seed: int = 7) -> dict[str, dict[str, list[str]]]:
    from rapidfuzz import fuzz, process, utils

    from lushbeat_cli.core.article import Status

    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError:
        sys.exit("scikit-learn is needed for the TF-IDF baseline: pip install -e '.[bench]'")

    names = [path_of(root, article) for article in articles]
    pool = [i for i, article in enumerate(articles) if article.status is Status.PUBLISHED]
    in_pool = set(pool)
    rng = random.Random(seed)
    results: dict[str, dict[str, list[str]]] = {"random": {}, "title": {}, "tfidf": {}}

    for i, name in enumerate(names):
        choices = rng.sample(pool, min(len(pool), K + 1))
        results["random"][name] = [names[j] for j in choices if j != i][:K]

    titles = {j: articles[j].title for j in pool}
    for i, name in enumerate(names):
        found = process.extract(
            articles[i].title,
            titles,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            limit=K + 1,
        )
        results["title"][name] = [names[j] for _, _, j in found if j != i][:K]

    texts = [f"{a.title}\n{a.summary or ''}\n{a.body}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    for i, name in enumerate(names):
        row = (matrix @ matrix[i].T).toarray().ravel()
        order = row.argsort()[::-1]
        results["tfidf"][name] = [
            names[j] for j in order if j != i and j in in_pool and row[j] > 0
        ][:K]
    return results


def path_of(root: Path, article: object) -> str:
    return Path(os.path.relpath(article.path, root)).as_posix()  # type: ignore[attr-defined]


def precision(lists: dict[str, list[str]], labels: dict[str, set[str]]) -> tuple[float, float, int]:
    """(precision@5, suggestions per judged article, judged articles)."""
    hits = total = judged = 0
    for source, suggested in lists.items():
        own = labels.get(source)
        if not own:
            continue  # an article without a (non-generic) label cannot be judged
        judged += 1
        for target in suggested[:K]:
            total += 1
            hits += bool(own & labels.get(target, set()))
    return (hits / total if total else 0.0), (total / judged if judged else 0.0), judged


def read_labels(corpus: Path) -> tuple[dict[str, set[str]], list[str]]:
    data = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    counts = Counter(
        label for item in data.values() for label in set(item["tags"] + item["categories"])
    )
    generic = sorted(label for label, n in counts.items() if n > GENERIC_SHARE * len(data))
    labels = {
        path: set(item["tags"] + item["categories"]) - set(generic) for path, item in data.items()
    }
    return labels, generic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", default=["digitalgov", "18f"], metavar="CORPUS")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="the corpora folder")
    args = parser.parse_args()
    if not args.corpora.is_dir():
        sys.exit(f"corpora not found at {args.corpora} (use --corpora DIR)")
    print("\n".join(machine_lines()))
    print(
        "| corpus | articles judged | generic labels dropped | method | precision@5 "
        "| suggestions/article | seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    notes: list[str] = []
    for name in args.names:
        corpus = args.corpora / name
        labels, generic = read_labels(corpus)
        with tempfile.TemporaryDirectory(prefix=f"lb-quality-{name}-") as temp:
            hidden = Path(temp) / "hidden"
            visible = Path(temp) / "visible"
            prepare(corpus, hidden, hide=True)
            prepare(corpus, visible, hide=False)
            ours, seconds = run_similar(hidden, "--include-newer", "--threshold", "0")
            defaults, default_seconds = run_similar(hidden)
            with_tags, tag_seconds = run_similar(visible, "--include-newer", "--threshold", "0")
            start = time.perf_counter()
            others = baselines(hidden, load_articles(hidden))
            base_seconds = time.perf_counter() - start
        rows = [
            ("(a) random", others["random"], None),
            ("(b) rapidfuzz title only", others["title"], None),
            ("(c) TF-IDF cosine (scikit-learn)", others["tfidf"], None),
            ("lushbeat similar, tags hidden", ours, seconds),
            (
                "lushbeat similar, tags hidden, default rules (older only, threshold)",
                defaults,
                default_seconds,
            ),
            ("lushbeat similar, tags visible", with_tags, tag_seconds),
        ]
        notes.append(
            f"{name}: lushbeat (tags hidden) minus TF-IDF: "
            + paired_difference(ours, others["tfidf"], labels)
        )
        dropped = ", ".join(generic) or "none"
        for method, lists, took in rows:
            p, per, judged = precision(lists, labels)
            took_text = f"{took:.1f}" if took is not None else f"({base_seconds:.1f} all)"
            print(
                f"| {name} | {judged} | {dropped} | {method} | {p:.3f} | {per:.2f} | {took_text} |"
            )
        sys.stdout.flush()
    for note in notes:
        print(f"\n{note}")


def paired_difference(
    ours: dict[str, list[str]], theirs: dict[str, list[str]], labels: dict[str, set[str]]
) -> str:
    """Precision difference with a 95% interval, paired by source article (normal approx.)."""
    differences = []
    for source, own in labels.items():
        if not own or source not in ours or source not in theirs:
            continue
        a = [bool(own & labels.get(t, set())) for t in ours[source][:K]]
        b = [bool(own & labels.get(t, set())) for t in theirs[source][:K]]
        if a and b:
            differences.append(sum(a) / len(a) - sum(b) / len(b))
    n = len(differences)
    if n < 2:
        return "too few articles"
    mean = sum(differences) / n
    spread = (sum((d - mean) ** 2 for d in differences) / (n - 1)) ** 0.5
    margin = 1.96 * spread / n**0.5
    return f"{mean:+.3f} (95% interval {mean - margin:+.3f} to {mean + margin:+.3f}, {n} articles)"


if __name__ == "__main__":
    main()
