using KMeansPS.Engine.Random;

namespace KMeansPS.Benchmarks;

/// <summary>Seeded synthetic inputs for the engine benchmarks.</summary>
internal static class EngineBenchmarkData
{
    /// <summary>
    /// A width x height RGB "image" as row-major floats 0..255: smooth colour fields (gradients and a few
    /// soft shapes) plus sensor-like noise, rounded to integers like decoded pixels, so it has the
    /// spatial coherence, repeats and ~10^5 distinct colours of a photo. Seeded and portable.
    /// </summary>
    internal static float[] ImageLikeRgb(int width, int height, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var blobs = new (double X, double Y, double R, double Cr, double Cg, double Cb)[12];
        for (int b = 0; b < blobs.Length; b++)
            blobs[b] = (rng.NextDouble() * width, rng.NextDouble() * height, (0.05 + 0.2 * rng.NextDouble()) * width,
                rng.NextDouble() * 255, rng.NextDouble() * 255, rng.NextDouble() * 255);
        var data = new float[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            double v = (double)y / height;
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width;
                double r = 40 + 150 * v, g = 90 + 80 * u * v, bl = 200 - 150 * v + 30 * u;
                foreach (var blob in blobs)
                {
                    double dx = x - blob.X, dy = y - blob.Y;
                    double t = 1 / (1 + (dx * dx + dy * dy) / (blob.R * blob.R));
                    t *= t;
                    r += t * (blob.Cr - r);
                    g += t * (blob.Cg - g);
                    bl += t * (blob.Cb - bl);
                }
                int i = (y * width + x) * 3;
                data[i] = Quantise(r + 3 * rng.NextGaussian());
                data[i + 1] = Quantise(g + 3 * rng.NextGaussian());
                data[i + 2] = Quantise(bl + 3 * rng.NextGaussian());
            }
        }
        return data;
    }

    private static float Quantise(double value) => (float)Math.Clamp(Math.Round(value), 0, 255);

    /// <summary>N x D uniform points in [0, 255) and K x D centres drawn from them.</summary>
    internal static (float[] Points, float[] Centres) Uniform(int n, int dims, int k, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var points = new float[n * dims];
        for (int i = 0; i < points.Length; i++) points[i] = (float)(rng.NextDouble() * 255);
        var centres = new float[k * dims];
        for (int c = 0; c < k; c++)
        {
            int row = rng.NextInt(n);
            Array.Copy(points, row * dims, centres, c * dims, dims);
        }
        return (points, centres);
    }
}
