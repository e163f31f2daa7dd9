namespace KMeansPS.Output;

/// <summary>
/// A fitted K-means model: what Invoke-KMeans returns. Centroids and Inertia are in the units of the input (computed in
/// double precision from the values read). The model can be saved with Export-Clixml or ConvertTo-Json and used again
/// (Invoke-KMeans -Model, Export-ClusterPlot -Model) after Import-Clixml or ConvertFrom-Json.
/// </summary>
public sealed class KMeansModel
{
    internal KMeansModel() { }

    /// <summary>Number of clusters found (lower than asked when there were fewer distinct points).</summary>
    public int K { get; internal init; }
    /// <summary>Number of points clustered.</summary>
    public int Count { get; internal init; }
    /// <summary>Number of coordinates per point (the length of <see cref="Properties"/>).</summary>
    public int Dimensions => Properties.Length;
    /// <summary>The input properties (coordinates), in the order of each centroid's values.</summary>
    public string[] Properties { get; internal init; } = [];
    /// <summary>One array of coordinates per cluster, in the input's units.</summary>
    public double[][] Centroids { get; internal init; } = [];
    /// <summary>The cluster of each input point, in input order (empty for a streamed fit, which keeps no rows).</summary>
    public int[] Labels { get; internal init; } = [];
    /// <summary>
    /// Rows labelled with each cluster, as scikit-learn's numpy.bincount(labels): with -Weight a row of weight 0 counts
    /// as one, as it has a label (<see cref="ClusterWeights"/> sums the weights). For a streamed fit, which keeps no
    /// rows, the rows each centre took as they streamed: a centre that moved later may now be the nearest to other rows
    /// (Invoke-KMeans -Model counts them again).
    /// </summary>
    public int[] ClusterSizes { get; internal init; } = [];
    /// <summary>
    /// Sum of the -Weight of the rows labelled with each cluster (numpy.bincount(labels, weights)): what each cluster
    /// counts for in the centroids and the inertia; without -Weight the same numbers as <see cref="ClusterSizes"/>.
    /// Empty for a streamed fit, which keeps no rows, and for a saved model that does not have them.
    /// </summary>
    public double[] ClusterWeights { get; internal init; } = [];
    /// <summary>
    /// Sum of (weighted) squared distances of points to their centroid, in the input's units (in standard deviations
    /// with -Standardize). NaN for a streamed fit, which keeps no rows to measure it on.
    /// </summary>
    public double Inertia { get; internal init; }
    /// <summary>Iterations the fit ran.</summary>
    public int Iterations { get; internal init; }
    /// <summary>True when the fit stopped because the centres moved less than the tolerance.</summary>
    public bool Converged { get; internal init; }
    /// <summary>The algorithm that fitted the centres: Lloyd, Hamerly or MiniBatch, as -Algorithm Auto resolved for this data.</summary>
    public KMeansAlgorithm Algorithm { get; internal init; }
    /// <summary>The SIMD path the engine ran: Vector512, Vector256, Vector128 or Scalar.</summary>
    public string InstructionSet { get; internal init; } = "";
    /// <summary>Time the fit took.</summary>
    public TimeSpan Elapsed { get; internal init; }
    /// <summary>The seed that reproduces this model.</summary>
    public int Seed { get; internal init; }
    /// <summary>Seeded runs the model is the best of (-Restarts).</summary>
    public int Restarts { get; internal init; } = 1;
    /// <summary>True when the model was fitted on z-scores (-Standardize); new points are scaled the same way.</summary>
    public bool Standardized => Means is not null;
    /// <summary>With -Standardize, the mean of each property (what a z-score subtracts; weighted by -Weight when given, as StandardScaler's sample_weight); otherwise null.</summary>
    public double[]? Means { get; internal init; }
    /// <summary>With -Standardize, the population standard deviation of each property (what a z-score divides by; divided by N, or by the total weight with -Weight, as StandardScaler's); otherwise null.</summary>
    public double[]? StandardDeviations { get; internal init; }
    /// <summary>True when the model was fitted on a stream (-Stream), whose rows were not kept.</summary>
    public bool Streamed { get; internal init; }
    /// <summary>What the fit had to change, e.g. K lowered for lack of distinct points; null when nothing.</summary>
    public string? Warning { get; internal init; }

    /// <summary>Point coordinates in the space distances are measured in: z-scores when standardized, else as given.</summary>
    internal double[] Working(double[] point)
    {
        if (Means is null) return point;
        var z = new double[point.Length];
        for (int j = 0; j < z.Length; j++) z[j] = (point[j] - Means[j]) / StandardDeviations![j];
        return z;
    }

    /// <summary>Index of the centroid nearest to <paramref name="point"/> (lowest index on ties), in double precision.</summary>
    public int Predict(double[] point)
    {
        double[] distances = Transform(point);
        int best = 0;
        for (int c = 1; c < distances.Length; c++)
        {
            if (distances[c] < distances[best]) best = c;
        }
        return best;
    }

    /// <summary>Distance from <paramref name="point"/> to each centroid (scikit-learn's transform), in standard deviations when standardized.</summary>
    public double[] Transform(double[] point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Length != Dimensions)
            throw new ArgumentException($"The point has {point.Length} coordinates; the model has {Dimensions} ({string.Join(", ", Properties)}).", nameof(point));
        // As the cmdlet refuses such a row (NonFiniteInput): no centre is nearest to NaN, and every one is as far from infinity.
        for (int j = 0; j < point.Length; j++)
        {
            if (!double.IsFinite(point[j]))
                throw new ArgumentException($"The point's '{Properties[j]}' is {point[j].ToString(System.Globalization.CultureInfo.InvariantCulture)}; every coordinate must be a finite number.", nameof(point));
        }
        double[] p = Working(point);
        var distances = new double[Centroids.Length];
        for (int c = 0; c < distances.Length; c++) distances[c] = Clustering.ExactStatistics.Distance(p, Working(Centroids[c]));
        return distances;
    }

    /// <inheritdoc/>
    public override string ToString() => $"K={K} over {Count} points, inertia {Inertia:G6}";
}
