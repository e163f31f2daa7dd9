namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Plain Lloyd with scikit-learn's stopping rules: stop when no label changed (strict convergence) or
/// when the total squared centre shift is at most the scaled tolerance; at most MaxIterations passes.
/// </summary>
internal static class LloydSolver
{
    internal static IterationOutcome Run(FitWorkspace ws, float[] centroids, KMeansOptions options, double tolerance)
    {
        float[] current = centroids;
        float[] next = new float[centroids.Length];
        for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            var (inertia, changed) = ws.AssignAll(current, accumulate: true);
            options.Progress?.Report(new KMeansProgress(iteration, inertia, options.MaxIterations));
            double shift = ws.UpdateCentroids(current, next);
            (current, next) = (next, current);
            if (changed == 0 || shift <= tolerance) return new IterationOutcome(current, iteration, true);
        }
        return new IterationOutcome(current, options.MaxIterations, false);
    }
}

/// <summary>
/// Final centres of an iterative solver, how many iterations ran and whether a stop rule fired.
/// </summary>
internal readonly record struct IterationOutcome(float[] Centroids, int Iterations, bool Converged);
