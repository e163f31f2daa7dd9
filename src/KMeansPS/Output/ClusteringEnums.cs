namespace KMeansPS.Output;

// Parameter enums live in the cmdlets assembly: PowerShell reads parameter types when it imports the
// module, before the dependency load context can resolve engine types.

/// <summary>How Invoke-KMeans and Compress-ImageKMeans fit the centres.</summary>
public enum KMeansAlgorithm
{
    /// <summary>Lloyd's result by the quicker route: Hamerly's bounds from K = 48 below 16 dimensions, else plain Lloyd.</summary>
    Auto,
    /// <summary>Plain Lloyd: every point against every centre each iteration.</summary>
    Lloyd,
    /// <summary>Lloyd with Hamerly's bounds.</summary>
    Hamerly,
    /// <summary>Mini-batch k-means for very large data: approximate, much faster per step.</summary>
    MiniBatch,
}

/// <summary>How the first centres are chosen.</summary>
public enum KMeansInit
{
    /// <summary>Greedy k-means++ (scikit-learn's default).</summary>
    KMeansPlusPlus,
    /// <summary>K distinct points drawn at random.</summary>
    Random,
}
