using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class EdgeCaseTests
{
    private static KMeansResult Fit(float[] data, int dims, float[] weights, KMeansOptions options) =>
        KMeans.Fit(data, dims, weights, options, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(KMeansInit.KMeansPlusPlus)]
    [InlineData(KMeansInit.Random)]
    public void FewerDistinctPointsThanKLowersKAndWarns(KMeansInit init)
    {
        // Three distinct points (one repeated, one given as -0 vs +0) and K = 5.
        float[] data = [1, 2, 1, 2, 0, 0, -0f, 0, 5, 5, 1, 2];
        var result = Fit(data, 2, [], new KMeansOptions { K = 5, Init = init });
        Assert.Equal(3, result.K);
        Assert.Equal([1f, 2f, 0f, 0f, 5f, 5f], result.Centroids);
        Assert.Equal([0, 0, 1, 1, 2, 0], result.Labels);
        Assert.Equal(0.0, result.Inertia);
        Assert.NotNull(result.Warning);
        Assert.Contains("K = 5", result.Warning);
    }

    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly)]
    [InlineData(KMeansAlgorithm.MiniBatch)]
    public void GivenCentresKeepKWhenThePointsHoldFewerDistinctOnes(KMeansAlgorithm algorithm)
    {
        // One point repeated (a stream's first rows of one kind) and three given centres: K stays 3, as asked.
        float[] data = new float[100];
        Array.Fill(data, 1f);
        var result = Fit(data, 2, [], new KMeansOptions
        {
            K = 3, Init = KMeansInit.Given, InitialCentroids = [1, 1, 10, 10, 20, 20], Algorithm = algorithm, BatchSize = 16,
        });
        Assert.Equal(3, result.K);
        Assert.Null(result.Warning);
        Assert.Equal(6, result.Centroids.Length);
        Assert.All(result.Centroids, c => Assert.True(float.IsFinite(c)));
        Assert.Equal(0.0, result.Inertia);
    }

    [Fact]
    public void ZeroWeightPointsDoNotCountAsDistinct()
    {
        float[] data = [0, 1, 2, 3];
        var result = Fit(data, 1, [1, 0, 0, 1], new KMeansOptions { K = 3 });
        Assert.Equal(2, result.K);
        Assert.Equal([0f, 3f], result.Centroids);
    }

    [Fact]
    public void NoWarningWhenEnoughDistinctPoints()
    {
        var result = Fit(FitTestData.Blobs(100, 2, 3, 1), 2, [], new KMeansOptions { K = 3 });
        Assert.Null(result.Warning);
        Assert.Equal(3, result.K);
    }

    [Fact]
    public void KEqualsOneGivesTheWeightedMean()
    {
        float[] data = [0, 0, 4, 0, 0, 8];
        var result = Fit(data, 2, [1, 2, 1], new KMeansOptions { K = 1 });
        Assert.Equal([2f, 2f], result.Centroids); // (0*1 + 4*2 + 0*1) / 4, (0 + 0 + 8) / 4
        Assert.Equal(1 * 8 + 2 * 8 + 1 * 40, result.Inertia); // |(-2,-2)|^2 = 8, |(2,-2)|^2 = 8, |(-2,6)|^2 = 40
        Assert.All(result.Labels, l => Assert.Equal(0, l));
    }

    [Fact]
    public void GivenCentresAreUsedAndAnEmptyClusterIsRepairedByTheFarthestPoint()
    {
        // First assignment: {0, 1, 2} to 1.5 (2 is a tie, lowest index wins), {3, 10} to 2.5, none to 100.
        // sklearn's repair moves the empty centre onto the point farthest from its own centre (10, at
        // distance 7.5 from 2.5) and takes it out of its old cluster: centres 1, 3, 10.
        float[] data = [0, 1, 2, 3, 10];
        var result = Fit(data, 1, [], new KMeansOptions { K = 3, Init = KMeansInit.Given, InitialCentroids = [1.5f, 2.5f, 100f], Algorithm = KMeansAlgorithm.Lloyd });
        float[] centres = [.. result.Centroids.Order()];
        Assert.Equal(10f, centres[2]);
        Assert.DoesNotContain(100f, result.Centroids);
        Assert.Equal(3, result.Labels.Distinct().Count());
    }

    public static TheoryData<float[], int, float[], string> BadInputs() => new()
    {
        { [1, 2, 3], 2, [], "not a multiple" },
        { [], 2, [], "N = 0" },
        { [1, float.NaN, 3, 4], 2, [], "Row 0" },
        { [1, 2, 3, float.PositiveInfinity], 2, [], "Row 1" },
        { [1, 2, 3, 4], 2, [1, -1], "negative" },
        { [1, 2, 3, 4], 2, [1, float.NaN], "row 1" },
        { [1, 2, 3, 4], 2, [1], "weights for 2 points" },
        { [1, 2, 3, 4], 2, [0, 0], "All weights are zero" },
        { [1, 2, 3, 4], 0, [], "Dimensions" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputThrowsArgumentExceptionWithAClearMessage(float[] data, int dims, float[] weights, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Fit(data, dims, weights, new KMeansOptions { K = 1 }));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void BadOptionsThrow()
    {
        float[] data = [1, 2, 3, 4];
        Assert.Contains("K must", Assert.ThrowsAny<ArgumentException>(() => Fit(data, 1, [], new KMeansOptions { K = 0 })).Message);
        Assert.ThrowsAny<ArgumentException>(() => Fit(data, 1, [], new KMeansOptions { K = 1, MaxIterations = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => Fit(data, 1, [], new KMeansOptions { K = 1, Tolerance = -1 }));
        Assert.ThrowsAny<ArgumentException>(() => Fit(data, 1, [], new KMeansOptions { K = 1, MaxDegreeOfParallelism = 0 }));
        Assert.Contains("InitialCentroids", Assert.ThrowsAny<ArgumentException>(() => Fit(data, 1, [], new KMeansOptions { K = 2, Init = KMeansInit.Given })).Message);
        Assert.Contains("K x D", Assert.ThrowsAny<ArgumentException>(() =>
            Fit(data, 1, [], new KMeansOptions { K = 2, Init = KMeansInit.Given, InitialCentroids = [1] })).Message);
        Assert.Throws<ArgumentNullException>(() => Fit(data, 1, [], null!));
    }

    [Fact]
    public void HugeValuesStillFitAndHamerlyFallsBackToLloydsResult()
    {
        // Squared distances near float's range: the bounded algorithm must not change the answer.
        float[] data = FitTestData.Blobs(3000, 2, 4, 7).Select(v => v * 1e18f).ToArray();
        var lloyd = Fit(data, 2, [], new KMeansOptions { K = 4, Algorithm = KMeansAlgorithm.Lloyd });
        var auto = Fit(data, 2, [], new KMeansOptions { K = 4, Algorithm = KMeansAlgorithm.Auto });
        FitAssert.Identical(lloyd, auto, "Auto vs Lloyd on huge values");
    }

    [Fact]
    public void TinySubnormalScaleStillGivesLloydsBits()
    {
        float[] data = FitTestData.Blobs(3000, 2, 4, 8).Select(v => v * 1e-41f).ToArray();
        var lloyd = Fit(data, 2, [], new KMeansOptions { K = 4, Algorithm = KMeansAlgorithm.Lloyd, Tolerance = 0 });
        var hamerly = Fit(data, 2, [], new KMeansOptions { K = 4, Algorithm = KMeansAlgorithm.Hamerly, Tolerance = 0 });
        FitAssert.Identical(lloyd, hamerly, "Hamerly vs Lloyd on subnormal values");
    }

    [Fact]
    public void MaxIterationsStopsWithoutConvergence()
    {
        var result = Fit(FitTestData.Colours(20000, 4), 3, [], new KMeansOptions { K = 32, MaxIterations = 2, Tolerance = 0 });
        Assert.Equal(2, result.Iterations);
        Assert.False(result.Converged);
    }

    [Fact]
    public void ResultReportsShapeSeedInstructionSetAndTime()
    {
        var result = Fit(FitTestData.Blobs(500, 3, 4, 2), 3, [], new KMeansOptions { K = 4, Seed = 77 });
        Assert.Equal(3, result.Dimensions);
        Assert.Equal(77UL, result.Seed);
        Assert.Equal(KMeans.BestInstructionSet, result.InstructionSet);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        Assert.Equal(500, result.Labels.Length);
        Assert.Equal(12, result.Centroids.Length);
    }

    [Fact]
    public void InputsAsSlicesOfLongerArraysIgnoreWhatFollows()
    {
        // Poison after the slices: reading past the data or weights would throw (NaN) or change the fit.
        float[] data = FitTestData.Blobs(5000, 3, 6, 12);
        float[] weights = FitTestData.Weights(5000, 13);
        var longData = new float[data.Length + 48];
        var longWeights = new float[weights.Length + 16];
        Array.Fill(longData, float.NaN);
        Array.Fill(longWeights, float.NaN);
        data.CopyTo(longData, 0);
        weights.CopyTo(longWeights, 0);
        var options = new KMeansOptions { K = 6, Seed = 2 };
        var exact = KMeans.Fit(data, 3, weights, options, TestContext.Current.CancellationToken);
        var sliced = KMeans.Fit(longData.AsSpan(0, data.Length), 3, longWeights.AsSpan(0, weights.Length), options, TestContext.Current.CancellationToken);
        FitAssert.Identical(exact, sliced, "slices vs exact arrays");
        var labels = new int[5000 + 8];
        Array.Fill(labels, -7);
        double inertia = KMeans.Predict(longData.AsSpan(0, data.Length), 3, exact.Centroids, labels.AsSpan(0, 5000),
            longWeights.AsSpan(0, weights.Length), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(exact.Inertia, inertia);
        Assert.All(labels.AsSpan(5000).ToArray(), l => Assert.Equal(-7, l));
    }

    [Fact]
    public void TheFirstBadRowIsNamedEvenAcrossParallelChunks()
    {
        float[] data = FitTestData.Blobs(20000, 2, 3, 1);
        data[2 * 17000 + 1] = float.PositiveInfinity; // a later chunk
        data[2 * 9000] = float.NaN;                   // the first bad row, in an earlier chunk
        var e = Assert.ThrowsAny<ArgumentException>(() => Fit(data, 2, [], new KMeansOptions { K = 2, MaxDegreeOfParallelism = 7 }));
        Assert.Contains("Row 9000 holds NaN in dimension 0", e.Message);
    }

    [Fact]
    public void FarAwayGivenCentresStillGiveLloydsBits()
    {
        // Starting centres near float's range make point-centre distances overflow; the bounded
        // algorithm must notice and still return Lloyd's result.
        float[] data = FitTestData.Blobs(3000, 2, 4, 9);
        float[] start = [1e30f, 0, -1e30f, 0, 0, 1e30f, 0, 0];
        var lloyd = Fit(data, 2, [], new KMeansOptions { K = 4, Init = KMeansInit.Given, InitialCentroids = start, Tolerance = 0, Algorithm = KMeansAlgorithm.Lloyd });
        var hamerly = Fit(data, 2, [], new KMeansOptions { K = 4, Init = KMeansInit.Given, InitialCentroids = start, Tolerance = 0, Algorithm = KMeansAlgorithm.Hamerly });
        FitAssert.Identical(lloyd, hamerly, "Hamerly vs Lloyd from far centres");
        Assert.All(lloyd.Centroids, v => Assert.True(float.IsFinite(v)));
    }
}
