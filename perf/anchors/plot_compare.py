#!/usr/bin/python3
"""Time against PSNR per tool, one panel per image, from compare.csv. Usage: plot_compare.py CSV PNG"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src, dst):
    rows = [r for r in csv.DictReader(open(src)) if r["Seconds"] and r["Psnr"] not in ("", "inf")]
    images = sorted({r["Image"] for r in rows})
    fig, axes = plt.subplots(1, len(images), figsize=(5 * len(images), 4.2), squeeze=False)
    for ax, image in zip(axes[0], images):
        for tool in sorted({r["Tool"] for r in rows}):
            # Joined in K order: each line runs from the smallest palette to the largest.
            pts = sorted(((float(r["Seconds"]), float(r["Psnr"]), r["K"]) for r in rows if r["Image"] == image and r["Tool"] == tool),
                         key=lambda p: int(p[2]))
            if not pts:
                continue
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=tool)
            for s, p, k in pts:
                ax.annotate(k, (s, p), textcoords="offset points", xytext=(4, -10), fontsize=7)
        ax.set_xscale("log")
        ax.set_title(image)
        ax.set_xlabel("median seconds (log)")
        ax.set_ylabel("PSNR (dB)")
        ax.grid(True, alpha=0.3)
    axes[0][0].legend()
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
