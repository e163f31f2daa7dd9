using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class MiniBatchStreamTests
{
    private static MiniBatchStream Stream(float[] data, int dims, int k, int start, int batch, InstructionSet? isa = null, float[]? weights = null)
    {
        var stream = new MiniBatchStream(dims, new KMeansOptions { K = k, Seed = 3, MaxInstructionSet = isa });
        ReadOnlySpan<float> w = weights ?? [];
        int n = data.Length / dims;
        stream.Start(data.AsSpan(0, start * dims), w.IsEmpty ? w : w[..start], TestContext.Current.CancellationToken);
        for (int from = start; from < n; from += batch)
        {
            int count = Math.Min(batch, n - from);
            stream.PartialFit(data.AsSpan(from * dims, count * dims), w.IsEmpty ? w : w.Slice(from, count), TestContext.Current.CancellationToken);
        }
        return stream;
    }

    [Fact]
    public void FindsWellSeparatedBlobsFromAStream()
    {
        // Four tight blobs at the corners of a square, interleaved so every batch sees all of them.
        const int n = 20000;
        var data = new float[n * 2];
        var rng = new KMeansPS.Engine.Random.DeterministicRandom(9);
        for (int i = 0; i < n; i++)
        {
            int c = i % 4;
            data[2 * i] = (float)(100 * (c & 1) + 0.5 * rng.NextGaussian());
            data[2 * i + 1] = (float)(100 * (c >> 1) + 0.5 * rng.NextGaussian());
        }
        MiniBatchStream stream = Stream(data, 2, 4, 768, 256);
        Assert.Equal(4, stream.K);
        Assert.Equal(n, stream.Rows);
        Assert.Equal((n - 768 + 255) / 256, stream.Steps);
        double[] centres = stream.Centroids();
        var found = Enumerable.Range(0, 4).Select(j => (Math.Round(centres[2 * j] / 100), Math.Round(centres[2 * j + 1] / 100))).Order().ToArray();
        Assert.Equal([(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)], found);
        for (int j = 0; j < 8; j++) Assert.InRange(Math.Abs(centres[j] - 100 * Math.Round(centres[j] / 100)), 0, 0.1);
        Assert.Equal(n, stream.ClusterWeights().Sum(), 6);
    }

    [Fact]
    public void OneCentreIsTheWeightedMeanOfEveryRow()
    {
        float[] data = FitTestData.Blobs(5000, 3, 2, 4);
        float[] weights = FitTestData.Weights(5000, 5);
        MiniBatchStream stream = Stream(data, 3, 1, 100, 333, weights: weights);
        double total = weights.Sum(w => (double)w);
        for (int d = 0; d < 3; d++)
        {
            double mean = 0;
            for (int i = 0; i < 5000; i++) mean += (double)weights[i] * data[i * 3 + d];
            Assert.Equal(mean / total, stream.Centroids()[d], 9);
        }
    }

    [Fact]
    public void EveryWidthGivesTheScalarBits()
    {
        float[] data = FitTestData.Blobs(9000, 3, 6, 12);
        double[] scalar = Stream(data, 3, 8, 600, 200, InstructionSet.Scalar).Centroids();
        foreach (InstructionSet isa in Kernels.KernelWidths.FitCaps())
        {
            double[] centres = Stream(data, 3, 8, 600, 200, isa).Centroids();
            Assert.Equal(scalar.Select(BitConverter.DoubleToInt64Bits), centres.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void TooFewDistinctFirstRowsLowerK()
    {
        float[] data = [1, 1, 2, 2, 1, 2, 5, 6];
        var stream = new MiniBatchStream(1, new KMeansOptions { K = 3, Seed = 1 });
        stream.Start(data.AsSpan(0, 4), default, TestContext.Current.CancellationToken);
        Assert.Equal(2, stream.K);
        Assert.NotNull(stream.Warning);
        stream.PartialFit(data.AsSpan(4), default, TestContext.Current.CancellationToken);
        Assert.Equal(8, stream.Rows);
    }

    [Fact]
    public void MisuseAndBadRowsAreClearErrors()
    {
        var stream = new MiniBatchStream(2, new KMeansOptions { K = 1 });
        Assert.Throws<InvalidOperationException>(() => stream.PartialFit([1f, 2f], default, TestContext.Current.CancellationToken));
        stream.Start([1f, 2f, 3f, 4f], default, TestContext.Current.CancellationToken);
        Assert.Throws<InvalidOperationException>(() => stream.Start([1f, 2f], default, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => stream.PartialFit([1f, float.PositiveInfinity], default, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => stream.PartialFit([1f, 2f, 3f], default, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => stream.PartialFit([1f, 2f], [0f], TestContext.Current.CancellationToken));
    }
}
