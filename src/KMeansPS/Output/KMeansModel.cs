namespace KMeansPS.Output;

/// <summary>A fitted K-means model: what Invoke-KMeans returns.</summary>
public sealed class KMeansModel
{
    internal KMeansModel(
        int k, string[] properties, double[][] centroids, int[] labels, double inertia, int iterations,
        bool converged, KMeansAlgorithm algorithm, string instructionSet, TimeSpan elapsed, int seed, string? warning)
    {
        K = k;
        Properties = properties;
        Centroids = centroids;
        Labels = labels;
        Inertia = inertia;
        Iterations = iterations;
        Converged = converged;
        Algorithm = algorithm;
        InstructionSet = instructionSet;
        Elapsed = elapsed;
        Seed = seed;
        Warning = warning;
        ClusterSizes = new int[k];
        foreach (int label in labels) ClusterSizes[label]++;
    }

    /// <summary>Number of clusters found (lower than asked when there were fewer distinct points).</summary>
    public int K { get; }
    /// <summary>Number of points clustered.</summary>
    public int Count => Labels.Length;
    /// <summary>Number of coordinates per point (the length of <see cref="Properties"/>).</summary>
    public int Dimensions => Properties.Length;
    /// <summary>The input properties (coordinates), in the order of each centroid's values.</summary>
    public string[] Properties { get; }
    /// <summary>One array of coordinates per cluster.</summary>
    public double[][] Centroids { get; }
    /// <summary>The cluster of each input point, in input order.</summary>
    public int[] Labels { get; }
    /// <summary>Number of points in each cluster.</summary>
    public int[] ClusterSizes { get; }
    /// <summary>Sum of (weighted) squared distances of points to their centroid.</summary>
    public double Inertia { get; }
    /// <summary>Iterations the fit ran.</summary>
    public int Iterations { get; }
    /// <summary>True when the fit stopped because the centres moved less than the tolerance.</summary>
    public bool Converged { get; }
    /// <summary>The algorithm that fitted the centres.</summary>
    public KMeansAlgorithm Algorithm { get; }
    /// <summary>The SIMD path the engine ran: Vector512, Vector256, Vector128 or Scalar.</summary>
    public string InstructionSet { get; }
    /// <summary>Time the fit took.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>The seed that reproduces this model.</summary>
    public int Seed { get; }
    /// <summary>What the fit had to change, e.g. K lowered for lack of distinct points; null when nothing.</summary>
    public string? Warning { get; }

    /// <summary>Index of the centroid nearest to <paramref name="point"/> (lowest index on ties).</summary>
    public int Predict(double[] point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Length != Dimensions)
            throw new ArgumentException($"The point has {point.Length} coordinates; the model has {Dimensions}.", nameof(point));
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < Centroids.Length; c++)
        {
            double d = 0;
            for (int j = 0; j < point.Length; j++)
            {
                double delta = point[j] - Centroids[c][j];
                d += delta * delta;
            }
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /// <inheritdoc/>
    public override string ToString() => $"K={K} over {Count} points, inertia {Inertia:G6}";
}
