using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// For each centre a, the other centres (and a itself) nearest first, in rings by distance from a, laid out in
/// blocks of one vector width for <see cref="NeighbourWalk{TWidth, TFloats, TInts, TDoubles}"/>: the search for a
/// point labelled a that Hamerly's bound cannot settle. A point whose real distance to a is at most u is nearer to
/// no centre farther than 2u from a, and no centre farther than u + s from a can be within s of it, so the walk looks at
/// a few blocks instead of all K centres.
///
/// Rings, not a sort: ring t holds the centres whose squared distance from a lies in the t-th of <see cref="Rings"/>
/// equal parts of a radius of a few gaps (<see cref="Gaps"/>, larger where that holds too few centres), in index order
/// within the ring, at most
/// <see cref="MaxEntries"/> entries. A row is placed from its centre's squared distances, computed as Hamerly's half
/// gaps compute them (<see cref="CentreGaps{TWidth, TFloats, TInts, TDoubles}.HalfGapsAndRows"/>), and kept across
/// iterations while the centres move little (<see cref="KeepRow"/>; Fitting's KeptNeighbourRows decides). The
/// order only changes how soon a walk may stop, never its result, because the stop test uses <see cref="Reach"/>: for
/// each block, a lower bound on the distance from a of every entry in that block and after it, and of every centre
/// left out of the row.
/// </summary>
internal sealed class NeighbourTable
{
    /// <summary>At most this many entries per centre: at K = 256 a point's walk rarely gets past the first 16.</summary>
    internal const int MaxEntries = 64;

    /// <summary>
    /// A row first looks for centres within this many gaps (the distance from a to its nearest other centre): a point
    /// the bound leaves is at least half a gap from a, and its walk usually stops 1.5 to 3 gaps out.
    /// </summary>
    private const double Gaps = 4;

    /// <summary>How much the squared radius grows while it holds fewer centres than a row's entries.</summary>
    internal const double Growth = 4;

    /// <summary>Rings across the radius, evenly in squared distance: the order the walk sees, roughly nearest first.</summary>
    private const int Rings = 64;

    /// <summary>The factor that keeps a reach from being overstated by its rounding (as <see cref="CentreGaps.Shrink"/>).</summary>
    private const double Shrink = 1 - 1e-12;

    private readonly RowScratch[] _scratch;

    /// <summary>A table for K centres of D coordinates, blocks of <paramref name="width"/> lanes, rows placed by up to <paramref name="workers"/> workers at once.</summary>
    internal NeighbourTable(int k, int dims, int width, int workers)
    {
        K = k;
        Dimensions = dims;
        Width = width;
        Entries = Math.Min(k, MaxEntries);
        Blocks = (Entries + width - 1) / width;
        Coordinates = new float[(long)k * Blocks * dims * width];
        Indices = new int[(long)k * Blocks * width];
        Reach = new double[(long)k * (Blocks + 1)];
        BlockCount = new int[k];
        _scratch = new RowScratch[Math.Max(1, workers)];
        for (int w = 0; w < _scratch.Length; w++) _scratch[w] = new RowScratch(k, Entries);
    }

    internal int K { get; }
    internal int Dimensions { get; }

    /// <summary>Lanes per block: the vector width the walk runs at.</summary>
    internal int Width { get; }

    /// <summary>Entries a row may hold: min(K, <see cref="MaxEntries"/>).</summary>
    internal int Entries { get; }

    /// <summary>Room for blocks per centre; a row uses <see cref="BlockCount"/> of them, the last padded with entries at infinity.</summary>
    internal int Blocks { get; }

    /// <summary>How many blocks centre a's row holds.</summary>
    internal int[] BlockCount { get; }

    /// <summary>Centre a's block b, coordinate d, lane l at ((a * Blocks + b) * D + d) * Width + l: planes per block.</summary>
    internal float[] Coordinates { get; }

    /// <summary>The centre index of each entry, at (a * Blocks + b) * Width + l; int.MaxValue for padding.</summary>
    internal int[] Indices { get; }

    /// <summary>
    /// At a * (Blocks + 1) + b, b &lt;= BlockCount[a]: a lower bound on the real distance from centre a of every entry in
    /// block b and after, and of every centre left out of the row; at b = BlockCount[a], of those left out (infinity when none).
    /// </summary>
    internal double[] Reach { get; }

    /// <summary>One worker's buffers for placing rows.</summary>
    internal RowScratch Scratch(int worker) => _scratch[worker];

    /// <summary>
    /// The squared distance from a centre inside which its row first looks (<see cref="Gaps"/>), for the squared gap
    /// <paramref name="gap"/>; infinity when there is no gap (every centre a duplicate), so that it takes them all.
    /// </summary>
    internal static double Radius(double gap) => double.IsPositiveInfinity(gap) ? double.PositiveInfinity : Gaps * Gaps * gap;

    /// <summary>The smallest positive squared distance of a row (infinity if none): the gap when a has a duplicate.</summary>
    internal static double NearestPositive(ReadOnlySpan<double> row)
    {
        double gap = double.PositiveInfinity;
        foreach (double s in row)
        {
            if (s > 0 && s < gap) gap = s;
        }
        return gap;
    }

    /// <summary>
    /// Places centre <paramref name="a"/>'s row: <paramref name="row"/> holds its squared distances to every centre
    /// (computed in double as <see cref="CentreGaps.SquaredDistance"/> does, 0 at a itself) and <paramref name="near"/>
    /// the centres closer than the squared <paramref name="radius"/>, in index order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void PlaceRow(int a, ReadOnlySpan<double> row, double radius, ReadOnlySpan<int> near, ReadOnlySpan<float> centres, RowScratch scratch)
    {
        int[] nearRing = scratch.NearRing, order = scratch.Order;
        int k = K, dims = Dimensions, width = Width;
        if (row.Length < k || centres.Length < k * dims) throw new ArgumentException("Row or centres shorter than K.");
        // The near centres' rings, counted.
        Span<int> start = scratch.RingStart;
        start.Clear();
        for (int q = 0; q < near.Length; q++)
        {
            // Near centres are inside the radius, so the ratio is below 1 (0 for an infinite radius).
            int t = (int)Math.Min(row[near[q]] / radius * Rings, Rings - 1);
            nearRing[q] = t;
            start[t + 1]++;
        }
        for (int t = 0; t < Rings; t++) start[t + 1] += start[t];

        // The first Entries in ring order; what is left out, near or not, bounds every block's reach.
        int entries = Math.Min(near.Length, Entries);
        double beyond = radius;
        for (int q = 0; q < near.Length; q++)
        {
            int position = start[nearRing[q]]++;
            if (position < entries) order[position] = near[q];
            else beyond = Math.Min(beyond, row[near[q]]);
        }

        int blocks = (entries + width - 1) / width;
        BlockCount[a] = blocks;
        long blockBase = (long)a * Blocks;
        long reachBase = (long)a * (Blocks + 1);
        Reach[reachBase + blocks] = Root(beyond);
        double suffix = beyond;
        for (int b = blocks - 1; b >= 0; b--)
        {
            Span<float> block = Coordinates.AsSpan((int)((blockBase + b) * dims * width), dims * width);
            Span<int> index = Indices.AsSpan((int)((blockBase + b) * width), width);
            for (int lane = width - 1; lane >= 0; lane--)
            {
                int p = b * width + lane;
                if (p < entries)
                {
                    int j = order[p];
                    suffix = Math.Min(suffix, row[j]);
                    for (int d = 0; d < dims; d++) block[d * width + lane] = centres[j * dims + d];
                    index[lane] = j;
                }
                else
                {
                    // Padding: infinitely far, the largest index, so it never wins and never ties.
                    for (int d = 0; d < dims; d++) block[d * width + lane] = float.PositiveInfinity;
                    index[lane] = int.MaxValue;
                }
            }
            Reach[reachBase + b] = Root(suffix);
        }
    }

    /// <summary>
    /// Keeps centre <paramref name="a"/>'s row for centres that moved by at most <paramref name="drift"/> together (a's
    /// own shift plus the largest of any centre's, inflated as the shifts are): its entries take their centres' new
    /// coordinates, and every reach falls by the drift, since no real distance from a to another centre can have
    /// fallen by more. The row then holds what a freshly placed one promises, in a looser order, and a walk over it
    /// gives the same values; it only stops later, so the fit places a row anew once its drifts add up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void KeepRow(int a, ReadOnlySpan<float> centres, double drift)
    {
        int dims = Dimensions, width = Width, blocks = BlockCount[a];
        if (centres.Length < K * dims) throw new ArgumentException("Centres shorter than K x D.", nameof(centres));
        long blockBase = (long)a * Blocks;
        for (int b = 0; b < blocks; b++)
        {
            Span<float> block = Coordinates.AsSpan((int)((blockBase + b) * dims * width), dims * width);
            ReadOnlySpan<int> index = Indices.AsSpan((int)((blockBase + b) * width), width);
            for (int lane = 0; lane < width; lane++)
            {
                int j = index[lane];
                if (j == int.MaxValue) continue; // padding stays at infinity
                for (int d = 0; d < dims; d++) block[d * width + lane] = centres[j * dims + d];
            }
        }
        Span<double> reach = Reach.AsSpan((int)(a * (long)(Blocks + 1)), blocks + 1);
        for (int b = 0; b <= blocks; b++)
        {
            // Infinity (nothing left out) stays infinity; a reach never goes below zero.
            if (!double.IsPositiveInfinity(reach[b])) reach[b] = Math.Max(0, reach[b] - drift) * Shrink;
        }
    }

    /// <summary>The real distance a squared distance computed in double bounds from below (infinity stays infinity).</summary>
    private static double Root(double squared) => Math.Sqrt(squared) * Shrink;

    /// <summary>A worker's buffers: the row of squared distances, the centres inside the radius, their rings, the ring starts, the placed order.</summary>
    internal sealed class RowScratch(int k, int entries)
    {
        internal readonly double[] Row = new double[k];
        internal readonly int[] Near = new int[k];
        internal readonly int[] NearRing = new int[k];
        internal readonly int[] RingStart = new int[Rings + 1];
        internal readonly int[] Order = new int[entries];
    }
}
