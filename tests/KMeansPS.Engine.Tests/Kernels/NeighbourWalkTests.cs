using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The neighbour walk against the full search it replaces: at every vector width, for points labelled with their
/// nearest centre or with any other, each walk that reports a result gives <see cref="ScalarKernels.AssignNearestTwo"/>'s
/// label, distance and second distance bit for bit; the table's rows hold what they claim (each entry's centre, reaches
/// that bound every later entry and every centre left out); and its half gaps are the reference's. Data with exact ties
/// (points and centres on a small integer grid, duplicate centres) checks the lowest-index rule across blocks.
/// </summary>
public class NeighbourWalkTests
{
    private static readonly InstructionSet[] Widths = KernelWidths.Vectors;

    public static TheoryData<int, int, bool> Cases()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int dims in new[] { 1, 2, 3, 4, 5, 8 })
            foreach (int k in new[] { 32, 67, 256 })
                data.Add(dims, k, false);
        foreach (int dims in new[] { 2, 3, 4 })
            foreach (int k in new[] { 40, 200 })
                data.Add(dims, k, true);
        data.Add(3, 300, false); // more centres than a row holds: rows are cut, some walks run out
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WalksGiveTheFullSearchsBits(int dims, int k, bool grid)
    {
        const int n = 2000;
        var (points, centres) = grid ? GridData(n, k, dims, seed: (ulong)(k * 7 + dims)) : ClusteredData(n, k, dims, seed: (ulong)(k * 5 + dims));
        var expectedLabels = new int[n];
        var expectedBest = new float[n];
        var expectedSecond = new float[n];
        ScalarKernels.AssignNearestTwo(points, n, n, dims, centres, k, expectedLabels, expectedBest, expectedSecond);

        // Own centres: the nearest (as after a pass), and a random one (the walk must hold for any).
        var rng = new DeterministicRandom((ulong)(k + 31 * dims));
        int[] randomOwn = new int[n];
        for (int i = 0; i < n; i++) randomOwn[i] = rng.NextInt(k);
        var (gamma, eta) = ErrorModel(dims);

        foreach (InstructionSet isa in Widths)
        {
            var kernels = new KernelSet(isa);
            var table = new NeighbourTable(k, dims, kernels.NeighbourWidth, workers: 2);
            var halfGap = new double[k];
            Build(kernels, centres, k, dims, halfGap, table);
            foreach (int[] own in new[] { expectedLabels, randomOwn })
            {
                float[] ownDistance = OwnDistances(points, n, dims, centres, own);
                int[] pending = Enumerable.Range(0, n).ToArray();
                var labels = new int[n];
                var best = new float[n];
                var second = new float[n];
                kernels.NeighbourNearestTwo(points, n, pending, own, ownDistance, table, gamma, eta, labels, best, second);
                int found = 0;
                for (int i = 0; i < n; i++)
                {
                    if (labels[i] < 0) continue;
                    found++;
                    string where = $"{isa} D={dims} K={k} grid={grid} point {i} own {own[i]}";
                    Assert.True(expectedLabels[i] == labels[i], $"{where}: label {labels[i]}, full search {expectedLabels[i]}");
                    Assert.True(Bits(expectedBest[i]) == Bits(best[i]), $"{where}: best {best[i]}, full search {expectedBest[i]}");
                    Assert.True(Bits(expectedSecond[i]) == Bits(second[i]), $"{where}: second {second[i]}, full search {expectedSecond[i]}");
                }
                // The walk must settle most points labelled with their nearest centre, or it saves nothing.
                if (own == expectedLabels) Assert.True(found >= n * 9 / 10, $"{isa} D={dims} K={k}: only {found} of {n} walks finished");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RowsHoldTheirCentresAndReachesBoundWhatFollows(int dims, int k, bool grid)
    {
        var (_, centres) = grid ? GridData(1, k, dims, seed: (ulong)(k * 7 + dims)) : ClusteredData(1, k, dims, seed: (ulong)(k * 5 + dims));
        var referenceGaps = new double[k];
        CentreGaps.HalfGapsScalar(centres, k, dims, referenceGaps);
        foreach (InstructionSet isa in Widths)
        {
            var kernels = new KernelSet(isa);
            var table = new NeighbourTable(k, dims, kernels.NeighbourWidth, workers: 2);
            var halfGap = new double[k];
            Build(kernels, centres, k, dims, halfGap, table);
            for (int a = 0; a < k; a++)
                Assert.True(BitConverter.DoubleToInt64Bits(referenceGaps[a]) == BitConverter.DoubleToInt64Bits(halfGap[a]), $"{isa}: half gap of centre {a}");

            AssertRowsHold(table, centres, k, dims, isa.ToString());
        }
    }

    /// <summary>
    /// Rows kept across moves of the centres (<see cref="NeighbourTable.KeepRow"/>, as the fit keeps them): after each
    /// of several moves (some centres still, some far), every row holds what a placed row promises for the moved
    /// centres, and walks over the kept table give the full search's bits.
    /// </summary>
    [Theory]
    [InlineData(2, 67)]
    [InlineData(3, 256)]
    [InlineData(4, 200)]
    [InlineData(3, 300)]
    public void KeptRowsHoldForMovedCentres(int dims, int k)
    {
        const int n = 2000;
        var (points, start) = ClusteredData(n, k, dims, seed: (ulong)(k * 3 + dims));
        var (gamma, eta) = ErrorModel(dims);
        foreach (InstructionSet isa in Widths)
        {
            var kernels = new KernelSet(isa);
            var table = new NeighbourTable(k, dims, kernels.NeighbourWidth, workers: 2);
            float[] centres = (float[])start.Clone();
            Build(kernels, centres, k, dims, new double[k], table);
            var rng = new DeterministicRandom((ulong)(k + dims));
            for (int move = 0; move < 4; move++)
            {
                float[] moved = (float[])centres.Clone();
                var shifts = new double[k];
                double maxShift = 0;
                for (int c = 0; c < k; c++)
                {
                    // A third stay, most move a little, a few far (a tenth of the spread), as in a fit's late iterations.
                    int kind = rng.NextInt(9);
                    double scale = kind < 3 ? 0 : kind < 8 ? 0.02 : 0.5;
                    double sum = 0;
                    for (int d = 0; d < dims; d++)
                    {
                        moved[c * dims + d] = (float)(centres[c * dims + d] + scale * rng.NextGaussian());
                        double diff = (double)moved[c * dims + d] - centres[c * dims + d];
                        sum += diff * diff;
                    }
                    shifts[c] = Math.Sqrt(sum) * (1 + 1e-12);
                    maxShift = Math.Max(maxShift, shifts[c]);
                }
                for (int a = 0; a < k; a++) table.KeepRow(a, moved, shifts[a] + maxShift);
                centres = moved;
                AssertRowsHold(table, centres, k, dims, $"{isa} after move {move}");

                var expectedLabels = new int[n];
                var expectedBest = new float[n];
                var expectedSecond = new float[n];
                ScalarKernels.AssignNearestTwo(points, n, n, dims, centres, k, expectedLabels, expectedBest, expectedSecond);
                float[] ownDistance = OwnDistances(points, n, dims, centres, expectedLabels);
                var labels = new int[n];
                var best = new float[n];
                var second = new float[n];
                kernels.NeighbourNearestTwo(points, n, Enumerable.Range(0, n).ToArray(), expectedLabels, ownDistance, table, gamma, eta,
                    labels, best, second);
                for (int i = 0; i < n; i++)
                {
                    if (labels[i] < 0) continue;
                    Assert.True(expectedLabels[i] == labels[i] && Bits(expectedBest[i]) == Bits(best[i]) && Bits(expectedSecond[i]) == Bits(second[i]),
                        $"{isa} after move {move}, point {i}: the walk over kept rows differs from the full search");
                }
            }
        }
    }

    /// <summary>Hamerly's error model of the kernels' float distances at D, as the solver sets it.</summary>
    private static (double Gamma, double Eta) ErrorModel(int dims) =>
        (2.0 * (dims + 3) * Math.ScaleB(1.0, -24), (3.0 * dims + 2) * Math.ScaleB(1.0, -149));

    /// <summary>Each row holds its entries' centres (no twice, its own among them, padding at infinity) and reaches that bound every later entry and every centre left out.</summary>
    private static void AssertRowsHold(NeighbourTable table, float[] centres, int k, int dims, string isa)
    {
        int width = table.Width, blocks = table.Blocks;
        for (int a = 0; a < k; a++)
        {
            int used = table.BlockCount[a];
            Assert.InRange(used, 0, blocks);
            var seen = new HashSet<int>();
            for (int b = 0; b < used; b++)
            {
                double reach = table.Reach[a * (blocks + 1) + b];
                for (int p = b * width; p < used * width; p++)
                {
                    int j = table.Indices[a * blocks * width + p];
                    int blockOf = p / width, lane = p % width;
                    float first = table.Coordinates[((a * blocks + blockOf) * dims) * width + lane];
                    if (j == int.MaxValue)
                    {
                        Assert.True(float.IsPositiveInfinity(first), $"{isa}: padding of centre {a} at {p} is not at infinity");
                        continue;
                    }
                    if (b == 0)
                    {
                        Assert.True(seen.Add(j), $"{isa}: centre {j} twice in the row of {a}");
                        for (int d = 0; d < dims; d++)
                            Assert.Equal(centres[j * dims + d], table.Coordinates[((a * blocks + blockOf) * dims + d) * width + lane]);
                    }
                    Assert.True(Math.Sqrt(CentreGaps.SquaredDistance(centres, a, j, dims)) >= reach, $"{isa}: reach of block {b} of centre {a} above entry {j}");
                }
            }
            Assert.True(seen.Contains(a), $"{isa}: centre {a} is not in its own row");
            for (int b = 0; b <= used; b++)
            {
                double reach = table.Reach[a * (blocks + 1) + b];
                for (int j = 0; j < k; j++)
                {
                    if (seen.Contains(j)) continue;
                    Assert.True(Math.Sqrt(CentreGaps.SquaredDistance(centres, a, j, dims)) >= reach, $"{isa}: reach of block {b} of centre {a} above left-out {j}");
                }
            }
        }
    }

    /// <summary>Rows in two tasks on two workers, as the solver shares them.</summary>
    private static void Build(KernelSet kernels, float[] centres, int k, int dims, double[] halfGap, NeighbourTable table)
    {
        var planes = new double[k * dims];
        CentreGaps.FillPlanes(centres, k, dims, planes);
        int half = k / 2;
        kernels.HalfGapsAndRows(centres, k, dims, halfGap, planes, table, half, k, worker: 1);
        kernels.HalfGapsAndRows(centres, k, dims, halfGap, planes, table, 0, half, worker: 0);
    }

    private static float[] OwnDistances(float[] points, int n, int dims, float[] centres, int[] own)
    {
        var result = new float[n];
        var labels = new int[1];
        var one = new float[1];
        for (int i = 0; i < n; i++)
        {
            var point = new float[dims];
            for (int d = 0; d < dims; d++) point[d] = points[d * n + i];
            ScalarKernels.AssignNearest(point, 1, 1, dims, centres.AsSpan(own[i] * dims, dims), 1, labels, one);
            result[i] = one[0];
        }
        return result;
    }

    /// <summary>Points (planes of n) around the centres (rows), at a spread like a fit's clusters.</summary>
    private static (float[] Points, float[] Centres) ClusteredData(int n, int k, int dims, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var centres = new float[k * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 200 - 100);
        var points = new float[n * dims];
        for (int i = 0; i < n; i++)
        {
            int c = rng.NextInt(k);
            for (int d = 0; d < dims; d++) points[d * n + i] = (float)(centres[c * dims + d] + 12 * rng.NextGaussian());
        }
        return (points, centres);
    }

    /// <summary>Points and centres on a grid of five values a coordinate, centres repeated: exact ties everywhere.</summary>
    private static (float[] Points, float[] Centres) GridData(int n, int k, int dims, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var centres = new float[k * dims];
        for (int c = 0; c < k; c++)
        {
            if (c >= 4 && rng.NextInt(4) == 0)
            {
                int copy = rng.NextInt(c);
                for (int d = 0; d < dims; d++) centres[c * dims + d] = centres[copy * dims + d];
                continue;
            }
            for (int d = 0; d < dims; d++) centres[c * dims + d] = rng.NextInt(5);
        }
        var points = new float[n * dims];
        for (int i = 0; i < points.Length; i++) points[i] = rng.NextInt(5) + 0.5f * rng.NextInt(2);
        return (points, centres);
    }

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);
}
