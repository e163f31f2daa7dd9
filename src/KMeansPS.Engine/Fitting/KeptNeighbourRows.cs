using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// The neighbour table across Hamerly's iterations: placed whole once, then each row kept for the centres' moves
/// (<see cref="NeighbourTable.KeepRow"/>: new coordinates, reaches lowered by the drift) until its drifts add up to
/// <see cref="RebuildShare"/> of its centre's half gap, when it is placed anew. Late in a fit the centres barely move,
/// and placing all K rows every iteration was a quarter of a small image's fit at K = 256 (perf/README). A kept row
/// promises what a placed one does, so every walk, and the fit, gives the same bits; rows only order the walk.
/// </summary>
internal sealed class KeptNeighbourRows
{
    /// <summary>The share of a row's half gap (when placed) its reaches may fall before it is placed anew.</summary>
    internal const double RebuildShare = 0.5;

    /// <summary>Rows a worker places at a time.</summary>
    private const int RowsPerTask = 32;

    private readonly double[] _drift;
    private readonly double[] _limit;
    private readonly bool[] _stale;
    private bool _placed;

    internal KeptNeighbourRows(NeighbourTable table)
    {
        Table = table;
        _drift = new double[table.K];
        _limit = new double[table.K];
        _stale = new bool[table.K];
    }

    internal NeighbourTable Table { get; }

    /// <summary>
    /// The half gaps of <paramref name="centres"/> and the table's rows for them. <paramref name="shifts"/>: how far each
    /// centre moved in the last update (inflated, as the bounds take them), <paramref name="maxShift"/> the largest.
    /// </summary>
    internal void Update(FitWorkspace ws, float[] centres, double[] halfGap, double[] gapPlanes, double[] shifts, double maxShift)
    {
        int k = ws.K, dims = ws.Dimensions;
        for (int a = 0; a < k; a++)
        {
            double drift = shifts[a] + maxShift;
            _stale[a] = !_placed || _drift[a] + drift > _limit[a];
            _drift[a] = _stale[a] ? 0 : _drift[a] + drift;
        }
        _placed = true;
        CentreGaps.FillPlanes(centres, k, dims, gapPlanes);
        int tasks = (k + RowsPerTask - 1) / RowsPerTask;
        ChunkScheduler.Run(tasks, ws.Workers, (worker, task) =>
        {
            int end = Math.Min(k, (task + 1) * RowsPerTask);
            for (int a = task * RowsPerTask; a < end;)
            {
                if (_stale[a])
                {
                    // Placing a row gives its half gap too (the same sums as HalfGapRows and the reference).
                    ws.Kernels.HalfGapsAndRows(centres, k, dims, halfGap, gapPlanes, Table, a, a + 1, worker);
                    _limit[a] = RebuildShare * halfGap[a];
                    a++;
                    continue;
                }
                // A run of kept rows: their half gaps together, then each row takes the centres' moves.
                int kept = a + 1;
                while (kept < end && !_stale[kept]) kept++;
                ws.Kernels.HalfGapRows(centres, k, dims, halfGap, gapPlanes, a, kept);
                for (; a < kept; a++) Table.KeepRow(a, centres, shifts[a] + maxShift);
            }
        }, ws.Token);
    }
}
