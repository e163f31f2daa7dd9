using System.Runtime.ExceptionServices;
using KMeansPS.Input;

namespace KMeansPS.Clustering;

/// <summary>
/// Runs a body once per block of rows (<see cref="DoubleColumn.BlockLength"/>) on up to a given number of threads.
/// A body writes only its own block's results and callers combine them in block order, so the results do not depend
/// on the number of threads.
/// </summary>
internal static class BlockLoop
{
    public static void Run(int blocks, int threads, Action<int> body)
    {
        if (threads <= 1 || blocks <= 1)
        {
            for (int b = 0; b < blocks; b++) body(b);
            return;
        }
        try
        {
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Sums per-block values in block order.</summary>
    public static double Sum(double[] perBlock)
    {
        double total = 0;
        foreach (double v in perBlock) total += v;
        return total;
    }
}
