using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

internal static class FitAssert
{
    /// <summary>Same centroid bits, labels, inertia bits, K, iterations and convergence.</summary>
    internal static void Identical(KMeansResult expected, KMeansResult actual, string what)
    {
        Assert.True(expected.K == actual.K, $"{what}: K {expected.K} vs {actual.K}");
        Assert.True(expected.Iterations == actual.Iterations, $"{what}: iterations {expected.Iterations} vs {actual.Iterations}");
        Assert.True(expected.Converged == actual.Converged, $"{what}: converged differs");
        Assert.True(expected.Centroids.Length == actual.Centroids.Length, $"{what}: centroid count");
        for (int i = 0; i < expected.Centroids.Length; i++)
        {
            int e = BitConverter.SingleToInt32Bits(expected.Centroids[i]), a = BitConverter.SingleToInt32Bits(actual.Centroids[i]);
            Assert.True(e == a, $"{what}: centroid value {i}: {expected.Centroids[i]:R} vs {actual.Centroids[i]:R}");
        }
        Assert.True(expected.Labels.AsSpan().SequenceEqual(actual.Labels), $"{what}: labels differ");
        Assert.True(BitConverter.DoubleToInt64Bits(expected.Inertia) == BitConverter.DoubleToInt64Bits(actual.Inertia),
            $"{what}: inertia {expected.Inertia:R} vs {actual.Inertia:R}");
    }
}
