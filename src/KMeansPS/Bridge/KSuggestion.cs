using System.Globalization;
using KMeansPS.Engine.Selection;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>Marks the suggested K among Measure-ImageKMeans rows.</summary>
internal static class KSuggestion
{
    public static void Mark(IReadOnlyList<ImageKMeasurement> rows, double? minPsnr)
    {
        if (rows.Count == 0) return;
        if (minPsnr is double target)
        {
            ImageKMeasurement? first = rows.FirstOrDefault(r => r.Psnr >= target);
            if (first is not null)
            {
                first.Suggested = true;
                first.Reason = string.Create(CultureInfo.InvariantCulture, $"first >= {target} dB"); // a logged value: one form in every culture
                return;
            }
            rows[^1].Suggested = true;
            rows[^1].Reason = string.Create(CultureInfo.InvariantCulture, $"none >= {target} dB: largest K");
            return;
        }
        double[] k = rows.Select(r => (double)r.K).ToArray();
        double[] mse = rows.Select(r => r.Mse).ToArray();
        // "elbow" only where the curve bends. A flat curve (every K as good: the image has no more colours than the
        // smallest K), a straight or concave one, or one of fewer than three K has none: then the smallest K, as
        // Measure-KMeans suggests, and the Reason says why.
        int elbow = ElbowRule.FindBend(k, mse);
        ImageKMeasurement pick = elbow >= 0 ? rows[elbow] : rows[0];
        pick.Suggested = true;
        pick.Reason = elbow >= 0 ? "elbow"
            : rows.Count > 1 && mse.All(m => m == mse[0]) ? "same error at every K: the smallest"
            : "no elbow: the smallest";
    }
}
