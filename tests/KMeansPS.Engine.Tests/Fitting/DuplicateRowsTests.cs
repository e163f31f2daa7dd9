using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>Fits on heavily repeated rows go through collapsed, weighted rows: the same objective, fewer points.</summary>
public class DuplicateRowsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 100,000 rows drawn from 700 distinct 3-D rows (like pixels of an image), with a few -0/+0 pairs.
    private static (float[] Data, int N) RepeatedRows(ulong seed, int distinct = 700, int n = 100_000)
    {
        var rng = new DeterministicRandom(seed);
        var palette = new float[distinct * 3];
        for (int i = 0; i < palette.Length; i++) palette[i] = (float)Math.Round(rng.NextDouble() * 255);
        palette[0] = 0f;
        var data = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            int p = rng.NextInt(distinct);
            palette.AsSpan(p * 3, 3).CopyTo(data.AsSpan(i * 3, 3));
            if (p == 0 && (i & 1) == 1) data[i * 3] = -0f;
        }
        return (data, n);
    }

    [Fact]
    public void CollapsedFitEqualsTheFitOfExplicitlyWeightedDistinctRows()
    {
        var (data, n) = RepeatedRows(3);
        var options = new KMeansOptions { K = 16, Seed = 5 };
        KMeansResult all = KMeans.Fit(data, 3, [], options, Ct);

        // The same distinct rows, in first-occurrence order, each weighted by its number of copies.
        var index = new Dictionary<(float, float, float), int>();
        var rows = new List<float>();
        var counts = new List<float>();
        var rowOf = new int[n];
        for (int i = 0; i < n; i++)
        {
            var key = (data[3 * i] + 0f, data[3 * i + 1], data[3 * i + 2]);
            if (!index.TryGetValue(key, out int u))
            {
                u = index.Count;
                index.Add(key, u);
                rows.AddRange([key.Item1, key.Item2, key.Item3]);
                counts.Add(0);
            }
            counts[u]++;
            rowOf[i] = u;
        }
        Assert.True(index.Count < DuplicateRows.MinRows);
        KMeansResult weighted = KMeans.Fit(rows.ToArray(), 3, counts.ToArray(), options, Ct);

        Assert.Equal(weighted.Centroids, all.Centroids);
        Assert.Equal(weighted.Inertia, all.Inertia);
        Assert.Equal(weighted.Iterations, all.Iterations);
        for (int i = 0; i < n; i++) Assert.Equal(weighted.Labels[rowOf[i]], all.Labels[i]);
    }

    [Fact]
    public void CollapsedFitsAreIdenticalOnEveryPathAndThreadCount()
    {
        var (data, _) = RepeatedRows(4);
        KMeansResult reference = KMeans.Fit(data, 3, [], new KMeansOptions { K = 24, Seed = 9, MaxInstructionSet = InstructionSet.Scalar, MaxDegreeOfParallelism = 1 }, Ct);
        foreach (InstructionSet isa in Enum.GetValues<InstructionSet>())
        {
            foreach (int threads in new[] { 1, 2, 7 })
            {
                KMeansResult other = KMeans.Fit(data, 3, [], new KMeansOptions { K = 24, Seed = 9, MaxInstructionSet = isa, MaxDegreeOfParallelism = threads }, Ct);
                Assert.Equal(reference.Centroids, other.Centroids);
                Assert.Equal(reference.Labels, other.Labels);
                Assert.Equal(reference.Inertia, other.Inertia);
            }
        }
    }

    [Fact]
    public void LabelsAreTheNearestCentreOfEveryOriginalRow()
    {
        var (data, n) = RepeatedRows(6);
        KMeansResult fit = KMeans.Fit(data, 3, [], new KMeansOptions { K = 10, Seed = 1 }, Ct);
        var labels = new int[n];
        double inertia = KMeans.Predict(data, 3, fit.Centroids, labels, cancellationToken: Ct);
        Assert.Equal(labels, fit.Labels);
        Assert.Equal(inertia, fit.Inertia, 6);
    }

    [Fact]
    public void OnlyRepeatedDataIsCollapsed()
    {
        var (repeated, _) = RepeatedRows(7);
        Assert.NotNull(DuplicateRows.TryCollapse(repeated, 3, [], Ct));
        var rng = new DeterministicRandom(8);
        var distinct = new float[100_000 * 3];
        for (int i = 0; i < distinct.Length; i++) distinct[i] = (float)rng.NextDouble();
        Assert.Null(DuplicateRows.TryCollapse(distinct, 3, [], Ct));
        Assert.Null(DuplicateRows.TryCollapse(repeated.AsSpan(0, 3000), 3, [], Ct));
    }

    [Fact]
    public void DistinctRowsSkipsTheSearchAndChangesNothingOnDistinctData()
    {
        // A palette's colours are distinct, so the caller says so and the engine does not hash a sample of them.
        var rng = new DeterministicRandom(12);
        var distinct = new float[80_000 * 3];
        for (int i = 0; i < distinct.Length; i++) distinct[i] = (float)Math.Round(rng.NextDouble() * 255, 2);
        var weights = new float[80_000];
        for (int i = 0; i < weights.Length; i++) weights[i] = 1 + (i % 5);
        Assert.Null(DuplicateRows.TryCollapse(distinct, 3, weights, Ct));
        KMeansResult Fit(bool told) => KMeans.Fit(distinct, 3, weights, new KMeansOptions { K = 16, Seed = 4, DistinctRows = told }, Ct);
        FitAssert.Identical(Fit(false), Fit(true), "DistinctRows");
    }

    [Fact]
    public void DistinctRowsOnRepeatedDataFitsEveryRowWithTheSameObjective()
    {
        // Told wrongly, the engine fits the rows as they are: slower, but still a fit of the same data.
        var (data, n) = RepeatedRows(13);
        KMeansResult told = KMeans.Fit(data, 3, [], new KMeansOptions { K = 8, Seed = 2, DistinctRows = true }, Ct);
        Assert.Equal(n, told.Labels.Length);
        Assert.True(told.Converged);
    }

    [Fact]
    public void CollapsedWeightsAddUpTheCopiesWeights()
    {
        var (data, n) = RepeatedRows(10);
        var weights = new float[n];
        for (int i = 0; i < n; i++) weights[i] = 1 + (i % 3);
        DuplicateRows.Collapsed c = DuplicateRows.TryCollapse(data, 3, weights, Ct)!;
        var expected = new double[c.Count];
        for (int i = 0; i < n; i++) expected[c.RowToUnique[i]] += weights[i];
        for (int u = 0; u < c.Count; u++) Assert.Equal((float)expected[u], c.Weights[u]);
        Assert.Equal(weights.Sum(w => (double)w), c.Weights.Sum(w => (double)w), 3);
    }

    [Fact]
    public void ANonFiniteValueIsStillReportedWithItsRow()
    {
        var (data, _) = RepeatedRows(11);
        data[70_000 * 3 + 1] = float.NaN;
        var ex = Assert.ThrowsAny<ArgumentException>(() => KMeans.Fit(data, 3, [], new KMeansOptions { K = 4 }, Ct));
        Assert.Contains("70000", ex.Message);
    }
}
