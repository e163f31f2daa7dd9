using Xunit;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>Which solver Auto picks: Hamerly's bounds only where they were measured to pay off (perf/README).</summary>
public class AutoChoiceTests
{
    private static FitWorkspace Workspace(int dimensions, int k)
    {
        int n = 4 * k;
        var data = new float[n * dimensions];
        for (int i = 0; i < data.Length; i++) data[i] = (i * 7919) % 1000;
        PointSet points = PointSet.FromRows(data, dimensions, [], 1, TestContext.Current.CancellationToken);
        return new FitWorkspace(points, k, KernelSet.Create(null), 1, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(3, 48, true)]
    [InlineData(4, 256, true)]
    [InlineData(15, 256, true)]
    [InlineData(16, 256, false)]
    [InlineData(128, 64, false)]
    [InlineData(3, 47, false)]
    [InlineData(64, 16, false)]
    public void Bounds_are_used_from_K_48_below_16_dimensions(int dimensions, int k, bool expected) =>
        Assert.Equal(expected, HamerlySolver.PaysOff(Workspace(dimensions, k)));

    [Theory]
    [InlineData(KMeansAlgorithm.Auto, 3, 48, KMeansAlgorithm.Hamerly)]
    [InlineData(KMeansAlgorithm.Auto, 3, 8, KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Auto, 16, 64, KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Lloyd, 3, 64, KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly, 4, 8, KMeansAlgorithm.Hamerly)]
    [InlineData(KMeansAlgorithm.MiniBatch, 3, 8, KMeansAlgorithm.MiniBatch)]
    public void The_result_names_the_scheme_that_ran(KMeansAlgorithm asked, int dimensions, int k, KMeansAlgorithm ran)
    {
        float[] data = FitTestData.Blobs(40 * k, dimensions, k, seed: 5, spread: 1.0);
        KMeansResult fit = KMeans.Fit(data, dimensions, [], new KMeansOptions { K = k, Algorithm = asked, Seed = 1 }, TestContext.Current.CancellationToken);
        Assert.Equal(ran, fit.Algorithm);
    }

    [Fact]
    public void A_fit_of_fewer_distinct_points_than_K_names_no_bounds()
    {
        float[] data = [1, 1, 2, 2, 1, 1];
        foreach (KMeansAlgorithm asked in new[] { KMeansAlgorithm.Auto, KMeansAlgorithm.Hamerly })
            Assert.Equal(KMeansAlgorithm.Lloyd, KMeans.Fit(data, 2, [], new KMeansOptions { K = 60, Algorithm = asked }, TestContext.Current.CancellationToken).Algorithm);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    public void Bounds_give_Lloyds_bits_with_fused_distances_on_overlapping_and_separable_data(int dims)
    {
        const int n = 6000, k = 64;
        var rng = new KMeansPS.Engine.Random.DeterministicRandom(11);
        var uniform = new float[n * dims];
        for (int i = 0; i < uniform.Length; i++) uniform[i] = (float)rng.NextDouble();
        float[] blobs = FitTestData.Blobs(n, dims, k / 2, seed: 12, spread: 1.0);

        AssertSameAsLloyd(uniform, dims);
        AssertSameAsLloyd(blobs, dims);

        static void AssertSameAsLloyd(float[] data, int dims)
        {
            var options = new KMeansOptions { K = k, Seed = 3, MaxIterations = 100, Tolerance = 0 };
            float[] init = Init(data, dims, options);
            IterationOutcome lloyd = LloydSolver.Run(Fresh(data, dims), (float[])init.Clone(), options, 0);
            IterationOutcome bounded = HamerlySolver.Run(Fresh(data, dims), (float[])init.Clone(), options, 0);
            Assert.True(lloyd.Iterations > 4, $"the case should take several iterations, took {lloyd.Iterations}");
            Assert.Equal(lloyd.Iterations, bounded.Iterations);
            Assert.Equal(lloyd.Centroids, bounded.Centroids);
        }

        static FitWorkspace Fresh(float[] data, int dims)
        {
            PointSet points = PointSet.FromRows(data, dims, [], 1, TestContext.Current.CancellationToken);
            return new FitWorkspace(points, k, KernelSet.Create(null), 2, TestContext.Current.CancellationToken);
        }

        static float[] Init(float[] data, int dims, KMeansOptions options) =>
            CentroidInitializer.Create(Fresh(data, dims), options, new KMeansPS.Engine.Random.DeterministicRandom(options.Seed));
    }
}
