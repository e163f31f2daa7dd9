using KMeansPS.Engine.Memory;
using KMeansPS.Engine.Tests.Memory;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// A fit rents its per-point buffers (distances, k-means++'s closest distances, Hamerly's lower bounds, the planes)
/// from <see cref="LargeBufferCache"/>, which hands back whatever an earlier job left in them: a fit must write every
/// element before it reads it. Here the cache is first filled with garbage of exactly the lengths the fit rents.
/// </summary>
[Collection(BufferCacheTestsAlone.Name)]
public class RentedBufferTests
{
    // A length no other test uses, above the cache's smallest buffer for floats, so the poison waits for this fit.
    private const int N = LargeBufferCache.MinBytes / 4 + 9_173;

    [Theory]
    [MemberData(nameof(DeterminismTests.Cases), MemberType = typeof(DeterminismTests))]
    public void A_fit_gives_the_same_bits_whatever_its_rented_buffers_held(int dims, int k, KMeansAlgorithm algorithm, KMeansInit init, bool weighted)
    {
        float[] data = FitTestData.Blobs(N, dims, 6, seed: (ulong)(dims * 31 + k));
        float[] weights = weighted ? FitTestData.Weights(N, 3) : [];
        KMeansResult Run() => KMeans.Fit(data, dims, weights,
            new KMeansOptions { K = k, Seed = 5, Algorithm = algorithm, Init = init, BatchSize = 4000 },
            TestContext.Current.CancellationToken);
        KMeansResult first = Run();

        // Two of each per-point buffer (a fit holds its distances while k-means++ holds its own), filled with values
        // that would change every result they reached: NaN distances and bounds, out-of-range labels.
        float[][] floats = [LargeBufferCache.Rent<float>(N), LargeBufferCache.Rent<float>(N)];
        double[][] doubles = [LargeBufferCache.Rent<double>(N), LargeBufferCache.Rent<double>(N)];
        int[][] ints = [LargeBufferCache.Rent<int>(N), LargeBufferCache.Rent<int>(N)];
        foreach (float[] f in floats) { Array.Fill(f, float.NaN); LargeBufferCache.Return(f); }
        foreach (double[] d in doubles) { Array.Fill(d, double.NaN); LargeBufferCache.Return(d); }
        foreach (int[] i in ints) { Array.Fill(i, int.MinValue); LargeBufferCache.Return(i); }

        FitAssert.Identical(first, Run(), "after poisoned buffers");
    }

    [Fact]
    public void A_mini_batch_fit_hands_back_the_buffers_of_its_initialisation_subset()
    {
        // k-means++ runs on 3 x BatchSize rows drawn from the data; a length no other test rents, above the cache's
        // smallest buffer, so the counts below move only with this fit.
        const int batch = 9_011, subset = 3 * batch;
        float[] data = FitTestData.Blobs(4 * subset, 3, 6, seed: 3);
        _ = KMeans.Fit(data, 3, [], new KMeansOptions { K = 8, Seed = 5, Algorithm = KMeansAlgorithm.MiniBatch, BatchSize = batch },
            TestContext.Current.CancellationToken);
        // At least: a buffer of this length kept already would have been reused, not added to.
        Assert.True(LargeBufferCache.KeptCount<int>(subset) >= 1, "the subset's labels were not handed back");
        Assert.True(LargeBufferCache.KeptCount<float>(subset) >= 2, "the subset's distances were not handed back beside k-means++'s closest distances");
    }
}
