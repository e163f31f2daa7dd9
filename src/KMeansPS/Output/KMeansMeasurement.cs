namespace KMeansPS.Output;

/// <summary>How one K did on the data: a row of Measure-KMeans.</summary>
public sealed class KMeansMeasurement
{
    internal KMeansMeasurement() { }

    /// <summary>The K asked for (one of -K).</summary>
    public int K { get; internal init; }
    /// <summary>
    /// Clusters the fit has (<see cref="KMeansModel.K"/> of <see cref="Model"/>, what Invoke-KMeans -K reports as K):
    /// fewer than <see cref="K"/> when the data hold fewer distinct points (with a warning), and the row's inertia and
    /// silhouette are then those of FittedK clusters. Such a row is never marked as the elbow, and is the suggested K
    /// only when every K was lowered; the table shows it as FittedK/K.
    /// </summary>
    public int FittedK => Model.K;
    /// <summary>Points clustered.</summary>
    public int Count { get; internal init; }
    /// <summary>Sum of (weighted) squared distances to the centroids, in the input's units (standard deviations with -Standardize).</summary>
    public double Inertia { get; internal init; }
    /// <summary>Mean silhouette (-1 to 1, higher is better separated); NaN when the points fell into one cluster.</summary>
    public double Silhouette { get; internal init; }
    /// <summary>Points the silhouette was computed on: all of them, or a seeded sample of -SampleSize when there are more.</summary>
    public int SilhouettePoints { get; internal init; }
    /// <summary>True when the silhouette comes from a sample rather than every point.</summary>
    public bool Sampled => SilhouettePoints < Count;
    /// <summary>Iterations the fit ran.</summary>
    public int Iterations { get; internal init; }
    /// <summary>True when the fit stopped because the centres moved less than the tolerance.</summary>
    public bool Converged { get; internal init; }
    /// <summary>Time this K took: its fit (<see cref="KMeansModel.Elapsed"/> of <see cref="Model"/>) and its silhouette, which on a large sample takes longer than the fit.</summary>
    public TimeSpan Elapsed { get; internal init; }
    /// <summary>True at the elbow of the inertia curve: the K past which more clusters buy little.</summary>
    public bool Elbow { get; internal set; }
    /// <summary>True on the row of the suggested K.</summary>
    public bool Suggested { get; internal set; }
    /// <summary>Why this K is suggested: the highest silhouette (or, without one, the elbow).</summary>
    public string? Reason { get; internal set; }
    /// <summary>The seed that reproduces this row.</summary>
    public int Seed { get; internal init; }
    /// <summary>The fitted model for this K.</summary>
    public KMeansModel Model { get; internal init; } = null!;

    /// <inheritdoc/>
    public override string ToString() => $"K={(FittedK == K ? $"{K}" : $"{K} (fitted {FittedK})")}: inertia {Inertia:G6}, silhouette {Silhouette:N3}";
}
