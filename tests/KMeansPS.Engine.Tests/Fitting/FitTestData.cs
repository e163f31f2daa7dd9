using KMeansPS.Engine.Random;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>Seeded data sets for fit tests: Gaussian blobs, and image-like colour data with many repeats.</summary>
internal static class FitTestData
{
    /// <summary>N points in D dimensions around <paramref name="clusters"/> random centres, unit spread, seeded.</summary>
    internal static float[] Blobs(int n, int dims, int clusters, ulong seed, double spread = 1.0)
    {
        var rng = new DeterministicRandom(seed);
        var centres = new double[clusters * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = rng.NextDouble() * 20 - 10;
        var data = new float[n * dims];
        for (int i = 0; i < n; i++)
        {
            int c = rng.NextInt(clusters);
            for (int d = 0; d < dims; d++) data[i * dims + d] = (float)(centres[c * dims + d] + spread * rng.NextGaussian());
        }
        return data;
    }

    /// <summary>RGB-like integer values 0..255 (many exact repeats and ties, as in images).</summary>
    internal static float[] Colours(int n, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var data = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            // A few smooth gradients plus noise, quantised to integers like decoded pixels.
            double t = (double)i / n;
            int band = rng.NextInt(4);
            data[i * 3] = (float)Math.Clamp(Math.Round(255 * t + 20 * rng.NextGaussian()), 0, 255);
            data[i * 3 + 1] = (float)Math.Clamp(Math.Round(64 * band + 10 * rng.NextGaussian()), 0, 255);
            data[i * 3 + 2] = (float)Math.Clamp(Math.Round(255 * (1 - t) * (band & 1) + 15 * rng.NextGaussian()), 0, 255);
        }
        return data;
    }

    /// <summary>Points on a grid of <paramref name="levels"/> integers a coordinate: repeats and exact ties everywhere.</summary>
    internal static float[] Grid(int n, int dims, int levels, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var data = new float[n * dims];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextInt(levels);
        return data;
    }

    internal static float[] Weights(int n, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = 1 + rng.NextInt(5);
        return w;
    }
}
