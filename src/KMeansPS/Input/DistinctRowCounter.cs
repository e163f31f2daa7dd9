namespace KMeansPS.Input;

/// <summary>
/// Finds how many rows, from the first, hold <c>k</c> distinct points of positive weight, scanning a growing table's
/// rows once each. Invoke-KMeans -Stream starts from its first rows only once they hold K distinct points: a file
/// that begins with one reading repeated would otherwise lower K for the whole stream.
/// </summary>
internal sealed class DistinctRowCounter(int k)
{
    private readonly HashSet<double[]> _seen = new(RowComparer.Instance);
    private int _scanned;

    /// <summary>Rows from the first holding <c>k</c> distinct points, or -1 while the table's rows hold fewer.</summary>
    public int Reached { get; private set; } = -1;

    /// <summary>Distinct points of positive weight among the rows scanned (at most <c>k</c>: the scan stops there).</summary>
    public int Distinct => _seen.Count;

    /// <summary>
    /// Scans the rows of <paramref name="table"/> not scanned yet, up to <paramref name="limit"/> rows from the first;
    /// <paramref name="table"/> must begin with the rows of the tables scanned before. Returns <see cref="Reached"/>.
    /// </summary>
    public int Scan(PointTable table, int limit = int.MaxValue)
    {
        for (int end = Math.Min(table.Count, limit); Reached < 0 && _scanned < end; _scanned++)
        {
            if (!(table.Weight(_scanned) > 0)) continue;
            double[] row = table.Row(_scanned);
            for (int j = 0; j < row.Length; j++) row[j] += 0.0; // -0 is the point 0
            if (_seen.Add(row) && _seen.Count >= k) Reached = _scanned + 1;
        }
        return Reached;
    }

    private sealed class RowComparer : IEqualityComparer<double[]>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(double[]? x, double[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(double[] row)
        {
            var hash = new HashCode();
            foreach (double value in row) hash.Add(value);
            return hash.ToHashCode();
        }
    }
}
