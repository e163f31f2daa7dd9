using System.Globalization;
using KMeansPS.Output;

namespace KMeansPS.Pipeline;

/// <summary>The -Verbose line that tells which K -MinPsnr chose for a result.</summary>
internal static class QualityFloorNote
{
    /// <summary>Null without -MinPsnr.</summary>
    public static string? Of(ImageCompressionResult result) => result.MinPsnr is not double floor ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"'{result.Path}': {result.ChosenK} colours (of at most {result.K}) reach -MinPsnr {floor:F2} dB with {result.Psnr:F2} dB.");
}
