#!/usr/bin/env python3
"""A BullshitGenerator-style baseline, for comparing speechgen's throughput on any machine.

This is the algorithm of BullshitGenerator (the popular Chinese filler generator),
re-implemented here with its own small word banks (not its data): until a document has
the target length, draw a random number; with a small chance start a new paragraph, with
another small chance insert a famous saying wrapped in a random lead-in and comment, else
append a stock sentence with the topic substituted. Text only: no structure, no spans, no
checks, no JSON. It measures how fast a pure shuffle loop writes characters, which is what
speechgen's own figure (`speechgen corpus` report, drafts/s and MB/s) is compared with.

    python3 benches/baseline_shuffle.py                  # 2,000 documents of 6,000 characters
    python3 benches/baseline_shuffle.py --count 10000 --length 6000 --seed 1

Prints documents/s and characters/s on one thread (CPython is single-threaded).
"""

import argparse
import random
import time

SAYINGS = [
    "天下难事，必作于易；天下大事，必作于细",
    "不积跬步，无以至千里",
    "千里之堤，溃于蚁穴",
    "知之者不如好之者，好之者不如乐之者",
    "业精于勤，荒于嬉；行成于思，毁于随",
    "合抱之木，生于毫末",
]
LEADS = ["古人说过：", "有句话说得好：", "正如一句老话所说：", "前人讲："]
COMMENTS = ["这启发我们，", "这句话值得我们深思。", "说的正是这个道理。", "带着这句话，我们再来看看。"]
FILLERS = [
    "x，到底应该如何实现。",
    "带着这些问题，我们来审视一下x。",
    "所谓x，关键是x需要如何写。",
    "我们不得不面对一个非常尴尬的事实，那就是，x的发生，到底需要如何做到，不x的发生，又会如何产生。",
    "x因何而发生？",
    "问题的关键究竟为何？",
    "一般来讲，我们都必须务必慎重的考虑考虑。",
    "要想清楚，x，到底是一种怎么样的存在。",
    "这种事实对本人来说意义重大，相信对这个世界也是有一定意义的。",
    "既然如此，我们就不得不认真对待x。",
    "每个人都不得不面对这些问题。在面对这种问题时，务必详细考虑x的各种可能。",
    "在这种困难的抉择下，本人思来想去，寝食难安。",
]


def document(topic: str, length: int, rng: random.Random) -> str:
    out = []
    size = 0
    while size < length:
        roll = rng.randint(0, 99)
        if roll < 5:
            piece = "\r\n    "
        elif roll < 20:
            piece = (
                rng.choice(LEADS)
                + "“"
                + rng.choice(SAYINGS)
                + "”"
                + rng.choice(COMMENTS)
            )
        else:
            piece = rng.choice(FILLERS).replace("x", topic)
        out.append(piece)
        size += len(piece)
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="documents to write")
    parser.add_argument("--length", type=int, default=6000, help="characters per document")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    topics = ["群众工作", "安全生产", "防汛抗旱", "乡村振兴", "党风廉政建设"]
    start = time.perf_counter()
    chars = 0
    for i in range(args.count):
        chars += len(document(topics[i % len(topics)], args.length, rng))
    seconds = time.perf_counter() - start
    print(
        f"baseline (BullshitGenerator's algorithm, Python): {args.count} documents of "
        f"{chars // args.count} characters in {seconds:.2f} s on 1 thread: "
        f"{args.count / seconds:,.0f} documents/s, {chars / seconds / 1e6:.1f} M characters/s"
    )


if __name__ == "__main__":
    main()
