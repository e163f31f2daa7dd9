namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Collapses repeated rows into one row each, weighted by the total weight of its copies. K-means on the
/// collapsed rows has exactly the objective of K-means on all rows (a row repeated w times counts as weight w),
/// and data such as image pixels repeat heavily (a 4.1 M-pixel photo has about 240 k distinct colours), so every
/// pass of the fit gets that many times cheaper. Applied only when a sample shows that it pays; the order of the
/// collapsed rows is the order of first occurrence, so the result is as deterministic as the input.
/// </summary>
internal static class DuplicateRows
{
    /// <summary>Fewer rows than this are fitted as they are: collapsing could not save much.</summary>
    internal const int MinRows = 1 << 16;
    private const int SampleRows = 1 << 14;
    private const int MaxDimensions = 8;

    internal sealed class Collapsed(float[] data, float[] weights, int[] rowToUnique)
    {
        /// <summary>Distinct rows, row-major, in order of first occurrence.</summary>
        public float[] Data { get; } = data;
        public float[] Weights { get; } = weights;
        /// <summary>For each input row, the index of its distinct row.</summary>
        public int[] RowToUnique { get; } = rowToUnique;
        public int Count => Weights.Length;
    }

    /// <summary>
    /// The collapsed rows when at most half of the rows are distinct (judged on a sample first), else null.
    /// Also null when a value is not finite: the ordinary path then reports it with its row number.
    /// </summary>
    internal static Collapsed? TryCollapse(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights,
        CancellationToken cancellationToken)
    {
        int n = data.Length / dimensions;
        if (n < MinRows || dimensions > MaxDimensions) return null;
        var sample = new Table(dimensions, SampleRows);
        for (int i = 0; i < SampleRows; i++)
        {
            if (sample.AddOrFind(data.Slice(i * dimensions, dimensions)) < 0) return null;
        }
        if (sample.Count > SampleRows / 2) return null;

        var table = new Table(dimensions, Math.Max(1024, n / 8));
        var rowToUnique = new int[n];
        for (int i = 0; i < n; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            int u = table.AddOrFind(data.Slice(i * dimensions, dimensions));
            if (u < 0) return null;
            rowToUnique[i] = u;
            if (table.Count > n / 2) return null;
        }

        var sums = new double[table.Count];
        for (int i = 0; i < n; i++) sums[rowToUnique[i]] += weights.IsEmpty ? 1.0 : weights[i];
        var collapsedWeights = new float[sums.Length];
        for (int u = 0; u < sums.Length; u++) collapsedWeights[u] = (float)sums[u];
        return new Collapsed(table.Rows(), collapsedWeights, rowToUnique);
    }

    // Open addressing over the distinct rows seen so far; -0 and +0 are the same coordinate.
    private sealed class Table
    {
        private readonly int _d;
        private float[] _rows;
        private int[] _slots; // distinct row index + 1, or 0 for empty
        private int _mask;

        public Table(int dimensions, int expected)
        {
            _d = dimensions;
            int capacity = 1;
            while (capacity < expected * 2) capacity <<= 1;
            _slots = new int[capacity];
            _mask = capacity - 1;
            _rows = new float[Math.Max(16, expected) * dimensions];
        }

        public int Count { get; private set; }

        public float[] Rows() => _rows.AsSpan(0, Count * _d).ToArray();

        /// <summary>The index of <paramref name="row"/> among the distinct rows (added if new), or -1 if a value is not finite.</summary>
        public int AddOrFind(ReadOnlySpan<float> row)
        {
            uint hash = 2166136261;
            for (int j = 0; j < _d; j++)
            {
                float v = row[j];
                if (!float.IsFinite(v)) return -1;
                hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(v + 0f)) * 16777619;
            }
            hash ^= hash >> 15;
            hash *= 0x2C1B3C6D;
            hash ^= hash >> 12;
            int slot = (int)(hash & (uint)_mask);
            while (true)
            {
                int entry = _slots[slot];
                if (entry == 0)
                {
                    int index = Count++;
                    if (_rows.Length < Count * _d) Array.Resize(ref _rows, _rows.Length * 2);
                    row.CopyTo(_rows.AsSpan(index * _d, _d));
                    _slots[slot] = index + 1;
                    if (Count * 2 > _slots.Length) Grow();
                    return index;
                }
                if (SameRow(entry - 1, row)) return entry - 1;
                slot = (slot + 1) & _mask;
            }
        }

        private bool SameRow(int index, ReadOnlySpan<float> row)
        {
            ReadOnlySpan<float> stored = _rows.AsSpan(index * _d, _d);
            for (int j = 0; j < _d; j++)
            {
                if (stored[j] != row[j]) return false;
            }
            return true;
        }

        private void Grow()
        {
            int[] old = _slots;
            _slots = new int[old.Length * 2];
            _mask = _slots.Length - 1;
            foreach (int entry in old)
            {
                if (entry == 0) continue;
                ReadOnlySpan<float> row = _rows.AsSpan((entry - 1) * _d, _d);
                uint hash = 2166136261;
                for (int j = 0; j < _d; j++) hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(row[j] + 0f)) * 16777619;
                hash ^= hash >> 15;
                hash *= 0x2C1B3C6D;
                hash ^= hash >> 12;
                int slot = (int)(hash & (uint)_mask);
                while (_slots[slot] != 0) slot = (slot + 1) & _mask;
                _slots[slot] = entry;
            }
        }
    }
}
