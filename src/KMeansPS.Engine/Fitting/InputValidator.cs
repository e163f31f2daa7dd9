namespace KMeansPS.Engine.Fitting;

/// <summary>Checks done once at the public entry points, with messages that name the offending row or option.</summary>
internal static class InputValidator
{
    internal static void Shape(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights)
    {
        if (dimensions < 1) ThrowHelper.OutOfRange(nameof(dimensions), dimensions, "Dimensions must be at least 1.");
        if (data.IsEmpty) ThrowHelper.Argument("The data holds no points (N = 0).", nameof(data));
        if (data.Length % dimensions != 0)
            ThrowHelper.Argument($"The data length {data.Length} is not a multiple of the dimension count {dimensions}.", nameof(data));
        int n = data.Length / dimensions;
        if (!weights.IsEmpty && weights.Length != n)
            ThrowHelper.Argument($"There are {weights.Length} weights for {n} points; pass one weight per point or none.", nameof(weights));
    }

    /// <summary>Every weight finite and non-negative, and at least one positive.</summary>
    internal static void Weights(ReadOnlySpan<float> weights)
    {
        if (weights.IsEmpty) return;
        bool anyPositive = false;
        for (int i = 0; i < weights.Length; i++)
        {
            float w = weights[i];
            if (!float.IsFinite(w)) ThrowHelper.Argument($"The weight of row {i} is {w}; weights must be finite.", nameof(weights));
            if (w < 0) ThrowHelper.Argument($"The weight of row {i} is negative ({w}); weights must be >= 0.", nameof(weights));
            anyPositive |= w > 0;
        }
        if (!anyPositive) ThrowHelper.Argument("All weights are zero; at least one point needs a positive weight.", nameof(weights));
    }

    internal static void Options(KMeansOptions options, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.K < 1) ThrowHelper.OutOfRange(nameof(options.K), options.K, "K must be at least 1.");
        if (options.MaxIterations < 1) ThrowHelper.OutOfRange(nameof(options.MaxIterations), options.MaxIterations, "MaxIterations must be at least 1.");
        if (!double.IsFinite(options.Tolerance) || options.Tolerance < 0)
            ThrowHelper.OutOfRange(nameof(options.Tolerance), options.Tolerance, "Tolerance must be finite and >= 0.");
        if (options.BatchSize < 1) ThrowHelper.OutOfRange(nameof(options.BatchSize), options.BatchSize, "BatchSize must be at least 1.");
        if (options.MaxSteps < 0) ThrowHelper.OutOfRange(nameof(options.MaxSteps), options.MaxSteps, "MaxSteps must be >= 0 (0 = derived).");
        if (options.MaxNoImprovement < 1)
            ThrowHelper.OutOfRange(nameof(options.MaxNoImprovement), options.MaxNoImprovement, "MaxNoImprovement must be at least 1.");
        if (options.MaxDegreeOfParallelism is < 1)
            ThrowHelper.OutOfRange(nameof(options.MaxDegreeOfParallelism), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1 (or null for all cores).");
        if (!Enum.IsDefined(options.Algorithm)) ThrowHelper.OutOfRange(nameof(options.Algorithm), options.Algorithm, "Unknown algorithm.");
        if (!Enum.IsDefined(options.Init)) ThrowHelper.OutOfRange(nameof(options.Init), options.Init, "Unknown init.");
        if (options.MaxInstructionSet is { } isa && !Enum.IsDefined(isa))
            ThrowHelper.OutOfRange(nameof(options.MaxInstructionSet), isa, "Unknown instruction set.");
        if (options.Init == KMeansInit.Given)
        {
            if (options.InitialCentroids is null)
                ThrowHelper.Argument("Init = Given needs InitialCentroids (K x D values).", nameof(options.InitialCentroids));
            Centroids(options.InitialCentroids, options.K, dimensions, nameof(options.InitialCentroids));
        }
    }

    /// <summary>Centres to label against (Predict, PreparedPoints): a positive whole number of finite rows of D; returns K.</summary>
    internal static int CentroidRows(ReadOnlySpan<float> centroids, int dimensions, string paramName)
    {
        if (centroids.IsEmpty || centroids.Length % dimensions != 0)
            ThrowHelper.Argument($"{centroids.Length} centroid values given; a positive multiple of D = {dimensions} expected.", paramName);
        int k = centroids.Length / dimensions;
        Centroids(centroids, k, dimensions, paramName);
        return k;
    }

    /// <summary>A caller's thread cap: null (all cores) or at least 1; returns the degree to run at.</summary>
    internal static int Degree(int? maxDegreeOfParallelism, string paramName)
    {
        if (maxDegreeOfParallelism is < 1)
            throw new ArgumentOutOfRangeException(paramName, maxDegreeOfParallelism, "Must be at least 1 (or null for all cores).");
        return maxDegreeOfParallelism ?? Environment.ProcessorCount;
    }

    internal static void Centroids(ReadOnlySpan<float> centroids, int k, int dimensions, string paramName)
    {
        if (centroids.Length != (long)k * dimensions)
            ThrowHelper.Argument($"{centroids.Length} centroid values given; K x D = {k} x {dimensions} = {(long)k * dimensions} expected.", paramName);
        for (int i = 0; i < centroids.Length; i++)
        {
            if (!float.IsFinite(centroids[i]))
                ThrowHelper.Argument($"Centroid {i / dimensions} holds {centroids[i]} in dimension {i % dimensions}; centroids must be finite.", paramName);
        }
    }
}
