namespace KMeansPS.Engine;

/// <summary>
/// Whether a stream's rows come in an order mini-batch k-means can use. Rows in random order give each batch the
/// clusters in about the proportions of the rows before it; rows sorted by cluster, or drifting over time, do not, and
/// the centres then end far from a full fit's (rows sorted by cluster: 18 times its inertia, as with scikit-learn's
/// partial_fit). Each batch's labels, taken against the centres it is fitted with, are compared with those of every
/// earlier row by the total variation distance of their proportions: the share of the batch's rows that would have to
/// change cluster for the two to agree. A batch is far when that share is at least <see cref="MinShare"/> and beyond
/// what random order gives at these sizes except with probability 1e-6 over the whole stream, from the
/// Bretagnolle-Huber-Carol bound on a multinomial sample's L1 error, which holds at every size and for any
/// proportions (so a last batch of a few rows is never far).
/// </summary>
internal sealed class StreamOrderCheck
{
    /// <summary>The least share that counts, so that centres settling under random order never make a batch far.</summary>
    internal const double MinShare = 0.25;

    private const double FalseAlarm = 1e-6;

    private readonly long[] _earlier;
    private long _earlierRows;
    private int _batches;

    public StreamOrderCheck(int k) => _earlier = new long[k];

    /// <summary>Batches looked at (not the first rows).</summary>
    public int Batches => _batches;

    /// <summary>Batches that were far from the rows before them.</summary>
    public int FarBatches { get; private set; }

    /// <summary>The first far batch: its number (from 1), its share and the most random order would give it.</summary>
    public (int Batch, double Share, double Bound)? FirstFar { get; private set; }

    /// <summary>The first rows' labels (rows of zero weight left out): what the first batch is compared with.</summary>
    public void Begin(ReadOnlySpan<int> labels, ReadOnlySpan<float> weights) => Count(labels, weights, _earlier, ref _earlierRows);

    /// <summary>Looks at one batch's labels; returns whether it was far. Rows of zero weight move no centre and are not counted.</summary>
    public bool Observe(ReadOnlySpan<int> labels, ReadOnlySpan<float> weights)
    {
        var batch = new long[_earlier.Length];
        long rows = 0;
        Count(labels, weights, batch, ref rows);
        if (rows == 0) return false;
        _batches++;
        bool far = false;
        if (_earlierRows > 0)
        {
            double l1 = 0;
            for (int c = 0; c < batch.Length; c++) l1 += Math.Abs((double)batch[c] / rows - (double)_earlier[c] / _earlierRows);
            double share = l1 / 2, bound = RandomShare(rows) + RandomShare(_earlierRows);
            if (share >= MinShare && share > bound)
            {
                far = true;
                FarBatches++;
                FirstFar ??= (_batches, share, bound);
            }
        }
        for (int c = 0; c < batch.Length; c++) _earlier[c] += batch[c];
        _earlierRows += rows;
        return far;
    }

    // Half the L1 error a sample of n rows exceeds with probability at most 1e-6 / (2 b (b + 1)) for batch b, so that
    // the batch's and the earlier rows' errors together, over every batch of the stream, stay within 1e-6:
    // P(L1 >= e) <= 2^K exp(-n e^2 / 2).
    private double RandomShare(long n)
    {
        double alarm = FalseAlarm / (2.0 * _batches * (_batches + 1.0));
        double l1 = Math.Sqrt(2 * (_earlier.Length * Math.Log(2) + Math.Log(1 / alarm)) / n);
        return l1 / 2;
    }

    private static void Count(ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, long[] counts, ref long rows)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (!weights.IsEmpty && !(weights[i] > 0)) continue;
            counts[labels[i]]++;
            rows++;
        }
    }
}
