namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Finds up to K distinct points (among those with positive weight) in index order. The scan stops as
/// soon as K are found, which on real data happens within the first few thousand points; it runs to the
/// end only when the data really has fewer than K distinct points, the case it exists to detect.
/// </summary>
internal static class DistinctRows
{
    internal static List<int> FirstDistinct(PointSet points, int limit)
    {
        var seen = new HashSet<int>(new RowComparer(points));
        var rows = new List<int>(Math.Min(limit, 1024));
        for (int i = 0; i < points.Count && rows.Count < limit; i++)
        {
            if (points.Weight(i) > 0 && seen.Add(i)) rows.Add(i);
        }
        return rows;
    }

    /// <summary>Compares rows by value; -0 and +0 are the same coordinate.</summary>
    internal sealed class RowComparer(PointSet points) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b)
        {
            for (int d = 0; d < points.Dimensions; d++)
            {
                if (points.Coordinate(a, d) != points.Coordinate(b, d)) return false;
            }
            return true;
        }

        public int GetHashCode(int i)
        {
            var hash = new HashCode();
            for (int d = 0; d < points.Dimensions; d++) hash.Add(BitConverter.SingleToInt32Bits(points.Coordinate(i, d) + 0f));
            return hash.ToHashCode();
        }
    }
}
