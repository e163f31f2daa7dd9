using System.Globalization;
using KMeansPS.Output;

namespace KMeansPS.Pipeline;

/// <summary>What -Verbose and -Debug tell about one compressed file.</summary>
internal static class FileReport
{
    /// <summary>
    /// The -Verbose line: the K asked and chosen, the fit's iterations and whether it converged, the image's pixels and
    /// distinct colours, the bytes in and out, and the time.
    /// </summary>
    public static string Of(ImageCompressionResult r)
    {
        string fit = r.Lossless
            ? "kept exactly (no more colours than K)"
            : string.Create(CultureInfo.InvariantCulture, $"{r.Iterations} iterations, {(r.Converged ? "converged" : "not converged")}");
        string written = r.Status == CompressionStatus.Written ? "" : $" ({r.Status}: not written)";
        return string.Create(CultureInfo.InvariantCulture,
            $"'{r.Path}': K {r.K} asked, {r.ChosenK} chosen, {r.ColorsUsed} used; {fit}; {(long)r.Width * r.Height:N0} pixels ({r.Width} x {r.Height}), {r.SourceColors:N0} distinct colours; {r.OriginalBytes:N0} bytes in, {r.CompressedBytes:N0} bytes out{written}; {r.Elapsed.TotalSeconds:F2} s.");
    }

    /// <summary>The -Debug line: each stage's time in milliseconds (a stage entered more than once is summed); null when none ran.</summary>
    public static string? Timings(string source, IReadOnlyList<(string Stage, TimeSpan Time)> timings)
    {
        if (timings.Count == 0) return null;
        var order = new List<string>();
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string stage, TimeSpan time) in timings)
        {
            if (!sums.ContainsKey(stage)) order.Add(stage);
            sums[stage] = sums.GetValueOrDefault(stage) + time.TotalMilliseconds;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"'{source}' stage times: {string.Join(", ", order.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {sums[s]:F0} ms")))}.");
    }
}
