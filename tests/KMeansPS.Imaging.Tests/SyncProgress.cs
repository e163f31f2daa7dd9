using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Imaging.Tests;

/// <summary>
/// Hands each report to <c>report</c> on the reporting thread, at once (<see cref="Progress{T}"/> would post it to the
/// thread pool, so a test could look before it arrived).
/// </summary>
internal sealed class SyncProgress(Action<QuantizeProgress> report) : IProgress<QuantizeProgress>
{
    public void Report(QuantizeProgress value) => report(value);
}
