using KMeansPS.Engine.Random;

namespace KMeansPS.Engine.Synthetic;

/// <summary>
/// Draws isotropic Gaussian blobs. Every value comes from <see cref="DeterministicRandom"/> and IEEE-exact
/// arithmetic (no libm), so a seed gives the same points, bit for bit, on every machine.
/// </summary>
internal static class SyntheticClusterGenerator
{
    public static SyntheticClusterSet Generate(SyntheticClusterOptions o)
    {
        Validate(o);
        int n = o.Count, k = o.Clusters, d = o.Dimensions;
        var rng = new DeterministicRandom(o.Seed);

        double[] centers;
        if (o.Centers is not null)
        {
            centers = (double[])o.Centers.Clone();
        }
        else
        {
            centers = new double[k * d];
            double width = o.CenterBoxMax - o.CenterBoxMin;
            for (int i = 0; i < centers.Length; i++)
            {
                centers[i] = o.CenterBoxMin + width * rng.NextDouble();
            }
        }

        // As make_blobs: n / k points per cluster, the remainder one each to the first clusters.
        var labels = new int[n];
        var points = new double[n * d];
        int row = 0;
        for (int c = 0; c < k; c++)
        {
            int size = n / k + (c < n % k ? 1 : 0);
            double spread = o.Spread.Length == 1 ? o.Spread[0] : o.Spread[c];
            for (int i = 0; i < size; i++, row++)
            {
                labels[row] = c;
                for (int j = 0; j < d; j++)
                {
                    points[row * d + j] = centers[c * d + j] + spread * rng.NextGaussian();
                }
            }
        }

        if (o.NoiseScale != 0)
        {
            AddColumnNoise(points, n, d, o.NoiseScale, rng);
        }

        if (o.Shuffle)
        {
            Shuffle(points, labels, n, d, rng);
        }

        return new SyntheticClusterSet
        {
            Points = points,
            TrueCluster = labels,
            Centers = centers,
            Count = n,
            Dimensions = d,
            Clusters = k,
            Seed = o.Seed,
        };
    }

    private static void AddColumnNoise(double[] points, int n, int d, double scale, DeterministicRandom rng)
    {
        var mean = new double[d];
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += points[i * d + j];
            mean[j] = sum / n;
            double sq = 0;
            for (int i = 0; i < n; i++)
            {
                double delta = points[i * d + j] - mean[j];
                sq += delta * delta;
            }
            std[j] = Math.Sqrt(sq / n);
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                points[i * d + j] += scale * (mean[j] + std[j] * rng.NextGaussian());
            }
        }
    }

    // Fisher-Yates over rows, moving labels with their points.
    private static void Shuffle(double[] points, int[] labels, int n, int d, DeterministicRandom rng)
    {
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            if (j == i) continue;
            (labels[i], labels[j]) = (labels[j], labels[i]);
            for (int c = 0; c < d; c++)
            {
                (points[i * d + c], points[j * d + c]) = (points[j * d + c], points[i * d + c]);
            }
        }
    }

    private static void Validate(SyntheticClusterOptions o)
    {
        if (o.Count < 1) throw new ArgumentOutOfRangeException(nameof(o), o.Count, "Count must be at least 1.");
        if (o.Clusters < 1) throw new ArgumentOutOfRangeException(nameof(o), o.Clusters, "Clusters must be at least 1.");
        if (o.Clusters > o.Count)
            throw new ArgumentOutOfRangeException(nameof(o), o.Clusters, $"Clusters ({o.Clusters}) cannot exceed Count ({o.Count}).");
        if (o.Dimensions < 1) throw new ArgumentOutOfRangeException(nameof(o), o.Dimensions, "Dimensions must be at least 1.");
        if ((long)o.Count * o.Dimensions > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(o), o.Count, "Count x Dimensions is too large for one array.");
        if (o.Spread.Length != 1 && o.Spread.Length != o.Clusters)
            throw new ArgumentException($"Spread needs 1 value or one per cluster ({o.Clusters}); got {o.Spread.Length}.", nameof(o));
        foreach (double s in o.Spread)
        {
            if (!double.IsFinite(s) || s < 0) throw new ArgumentOutOfRangeException(nameof(o), s, "Spread must be finite and not negative.");
        }
        if (!double.IsFinite(o.NoiseScale)) throw new ArgumentOutOfRangeException(nameof(o), o.NoiseScale, "NoiseScale must be finite.");
        if (!double.IsFinite(o.CenterBoxMin) || !double.IsFinite(o.CenterBoxMax) || o.CenterBoxMin > o.CenterBoxMax)
            throw new ArgumentException("The centre box must be finite with min <= max.", nameof(o));
        if (o.Centers is not null)
        {
            if (o.Centers.Length != o.Clusters * o.Dimensions)
                throw new ArgumentException($"Centers must hold Clusters x Dimensions = {o.Clusters * o.Dimensions} values; got {o.Centers.Length}.", nameof(o));
            foreach (double c in o.Centers)
            {
                if (!double.IsFinite(c)) throw new ArgumentException("Centers must be finite numbers.", nameof(o));
            }
        }
    }
}
