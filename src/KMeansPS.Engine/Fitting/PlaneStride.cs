namespace KMeansPS.Engine.Fitting;

/// <summary>
/// How many floats apart the coordinate planes of a structure-of-arrays block lie. A kernel reads one cache line of
/// every plane per vector of points; planes a multiple of 4 KiB apart (N or a chunk size a power of two) all map to
/// the same L1 sets, and at D &gt;= 12 those lines evict each other for every centre (measured: 1.6-2x slower
/// assignment at D = 32-128 with stride 4096 or 65536). An odd number of 64-byte lines apart spreads them over every set.
/// </summary>
internal static class PlaneStride
{
    private const int FloatsPerLine = 16;

    /// <summary>The stride for <paramref name="count"/> points: at least count, a whole odd number of cache lines.</summary>
    internal static int For(int count)
    {
        long lines = ((long)count + FloatsPerLine - 1) / FloatsPerLine;
        lines |= 1;
        return checked((int)(lines * FloatsPerLine));
    }
}
