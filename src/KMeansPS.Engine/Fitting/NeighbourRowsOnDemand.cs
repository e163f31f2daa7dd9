using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// The neighbour table's rows placed when a point first needs one in an iteration, not all K after each update: a
/// walk only reads the row of the point's own centre, and late in a fit the points Hamerly's bound leaves sit with
/// a few of the centres. A row is placed exactly as the whole table places it (<see cref="KernelSet.HalfGapsAndRows"/>
/// for that one centre), so every walk, and the fit, keeps its bits. Workers share the rows: the first to need one
/// places it, any other waits for it.
/// </summary>
internal sealed class NeighbourRowsOnDemand
{
    private readonly KernelSet _kernels;
    private readonly int _k;
    private readonly int _dims;
    /// <summary>Per centre: 2 x the iteration once its row is placed in it, one less while a worker places it.</summary>
    private readonly int[] _state;
    /// <summary>Per worker: where placing a row also writes its centre's half gap, which the iteration already has.</summary>
    private readonly double[][] _knownGaps;
    private int _iteration;
    private float[] _centres = [];
    private double[] _planes = [];

    internal NeighbourRowsOnDemand(NeighbourTable table, KernelSet kernels, int workers)
    {
        Table = table;
        _kernels = kernels;
        _k = table.K;
        _dims = table.Dimensions;
        _state = new int[_k];
        _knownGaps = new double[Math.Max(1, workers)][];
        for (int w = 0; w < _knownGaps.Length; w++) _knownGaps[w] = new double[_k];
    }

    internal NeighbourTable Table { get; }

    /// <summary>
    /// New centres: every row is stale. <paramref name="planes"/> holds them as D planes of K doubles
    /// (<see cref="CentreGaps.FillPlanes"/>); both stay unchanged until the next call.
    /// </summary>
    internal void StartIteration(float[] centres, double[] planes)
    {
        _iteration++;
        _centres = centres;
        _planes = planes;
    }

    /// <summary>Places (or waits for) the row of each listed point's centre.</summary>
    internal void Ensure(ReadOnlySpan<int> points, int[] labels, int worker)
    {
        int placed = 2 * _iteration, placing = placed - 1;
        foreach (int i in points)
        {
            int a = labels[i];
            int state = Volatile.Read(ref _state[a]);
            if (state == placed) continue;
            if (state != placing && Interlocked.CompareExchange(ref _state[a], placing, state) == state)
            {
                try
                {
                    _kernels.HalfGapsAndRows(_centres, _k, _dims, _knownGaps[worker], _planes, Table, a, a + 1, worker);
                }
                catch
                {
                    Volatile.Write(ref _state[a], 0);
                    throw;
                }
                Volatile.Write(ref _state[a], placed);
                continue;
            }
            var wait = new SpinWait();
            while (Volatile.Read(ref _state[a]) != placed) wait.SpinOnce();
        }
    }
}
