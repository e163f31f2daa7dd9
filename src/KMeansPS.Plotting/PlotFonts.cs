using System.Runtime.InteropServices;

namespace KMeansPS.Plotting;

/// <summary>
/// The font all plot text is drawn with: DejaVu Sans, shipped beside this assembly, so plots look the same on every
/// machine and need no system fonts (SkiaSharp's Linux native library is the build without fontconfig, which
/// cannot find fonts by family name). Falls back to a system TrueType file on Linux if the shipped one is gone.
/// </summary>
internal static class PlotFonts
{
    private const string FamilyName = "KMeansPS Sans";
    private static readonly object Gate = new();
    private static string? _family;
    private static bool _resolved;

    private static readonly string[] LinuxFallbacks =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ];

    /// <summary>The font family to draw text with, or null to keep ScottPlot's default.</summary>
    public static string? Family
    {
        get
        {
            lock (Gate)
            {
                if (_resolved) return _family;
                _resolved = true;
                string? file = FontFile;
                if (file is null) return null;
                ScottPlot.Fonts.AddFontFile(FamilyName, file);
                _family = FamilyName;
                return _family;
            }
        }
    }

    /// <summary>The TrueType file text is drawn with: the shipped DejaVu Sans, else a system one on Linux, else null.</summary>
    internal static string? FontFile
    {
        get
        {
            string shipped = Path.Combine(Path.GetDirectoryName(typeof(PlotFonts).Assembly.Location) ?? "", "Fonts", "DejaVuSans.ttf");
            return File.Exists(shipped) ? shipped
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LinuxFallbacks.FirstOrDefault(File.Exists)
                : null;
        }
    }

    /// <summary>True when plot text uses the font shipped with the module.</summary>
    internal static bool UsesShippedFont => Family is not null && File.Exists(Path.Combine(
        Path.GetDirectoryName(typeof(PlotFonts).Assembly.Location) ?? "", "Fonts", "DejaVuSans.ttf"));
}
