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
        int elbow = ElbowRule.FindElbow(k, mse);
        rows[elbow].Suggested = true;
        rows[elbow].Reason = "elbow";
    }
}
