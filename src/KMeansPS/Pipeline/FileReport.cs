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
            $"'{r.Path}': K {r.K} asked, {r.ChosenK} chosen, {r.ColorsUsed} used; {fit}; {(long)r.Width * r.Height:N0} pixels ({r.Width} x {r.Height}), {(r.SourceColorsIsLowerBound ? $"more than {r.SourceColors - 1:N0}" : $"{r.SourceColors:N0}")} distinct colours; {r.OriginalBytes:N0} bytes in, {r.CompressedBytes:N0} bytes out{written}; {r.Elapsed.TotalSeconds:F2} s.");
    }

    /// <summary>
    /// The -Debug line: each stage's time in milliseconds (a stage entered more than once is summed), in the order first
    /// entered, then the file's whole time (<see cref="ImageCompressionResult.Elapsed"/>, when there is a result), which
    /// the stages fall within. Each stage is rounded so that the printed stages add up to their rounded sum, never more
    /// than the printed whole. Null when no stage ran.
    /// </summary>
    public static string? Timings(string source, IReadOnlyList<StageTime> timings, TimeSpan? elapsed = null)
    {
        if (timings.Count == 0) return null;
        // A handful of stages: arrays and a linear search, no dictionary of doubles to compile in a session's first call.
        var order = new string[timings.Count];
        var sums = new double[timings.Count];
        int stages = 0;
        foreach (StageTime timing in timings)
        {
            int at = Array.IndexOf(order, timing.Stage, 0, stages);
            if (at < 0) order[at = stages++] = timing.Stage;
            sums[at] += timing.Time.TotalMilliseconds;
        }
        var line = new System.Text.StringBuilder();
        line.Append('\'').Append(source).Append("' stage times: ");
        // Rounded as running totals: 0.6 + 0.6 ms prints as 1 + 0 ms, not 1 + 1 ms beside a whole of 1 ms.
        double before = 0, total = 0;
        for (int i = 0; i < stages; i++)
        {
            total += sums[i];
            double shown = Math.Round(total, MidpointRounding.AwayFromZero) - before;
            before += shown;
            if (i > 0) line.Append(", ");
            line.Append(order[i]).Append(' ').Append(shown.ToString("F0", CultureInfo.InvariantCulture)).Append(" ms");
        }
        if (elapsed is { } whole)
            line.Append("; the file took ").Append(Math.Round(whole.TotalMilliseconds, MidpointRounding.AwayFromZero).ToString("F0", CultureInfo.InvariantCulture)).Append(" ms");
        return line.Append('.').ToString();
    }
}
