using System.Text;
using System.Xml;
using KMeansPS.Imaging.Provenance;

namespace KMeansPS.Bridge;

/// <summary>
/// The module's marker in its plots: a PNG's tEXt chunk (as in its images) or an SVG's first comment. Its settings are
/// "plot,inputs=" and the plot's <see cref="Plotting.PlotFingerprint"/> (plots written before it say "plot" alone), so a
/// rerun knows a plot of the same data and settings even when another version of the module drew it.
/// </summary>
internal static class PlotMarker
{
    /// <summary>The settings every plot marker starts with.</summary>
    internal const string Settings = "plot";

    /// <summary>What an SVG plot's marker comment starts with.</summary>
    private const string SvgCommentStart = "<!-- KMeansPS ";

    /// <summary>How far into an SVG its marker comment may start (it is written right after the XML declaration).</summary>
    private const int SvgHeadBytes = 4096;

    /// <summary>The settings of a plot with <paramref name="inputs"/> (its fingerprint).</summary>
    internal static string SettingsFor(string inputs) => Settings + ",inputs=" + inputs;

    /// <summary>Whether <paramref name="settings"/> are a plot marker's.</summary>
    internal static bool IsPlotSettings(string settings) =>
        settings == Settings || settings.StartsWith(Settings + ",", StringComparison.Ordinal);

    /// <summary>The plot's bytes with <paramref name="marker"/> in them: a PNG gets its tEXt chunk, an SVG its comment.</summary>
    internal static byte[] Insert(byte[] plot, OutputMarker marker)
    {
        if (!IsSvg(plot)) return MarkerInsertion.AfterHeader(plot, marker);
        // Version 1's text: version 2's base64 may hold "--", which a comment may not.
        string text = OutputMarkerText.Version1(marker);
        if (text.Contains("--", StringComparison.Ordinal)) return plot;
        byte[] comment = Encoding.UTF8.GetBytes(SvgCommentStart + text + " -->\n");
        int at = DeclarationEnd(plot);
        var marked = new byte[plot.Length + comment.Length];
        plot.AsSpan(0, at).CopyTo(marked);
        comment.CopyTo(marked.AsSpan(at));
        plot.AsSpan(at).CopyTo(marked.AsSpan(at + comment.Length));
        return marked;
    }

    /// <summary>
    /// The plot marker of the file at <paramref name="path"/> and whether the file is whole (a PNG that passes the input
    /// structure check, an SVG that is well-formed XML); null when it holds no plot marker or cannot be read.
    /// </summary>
    internal static (OutputMarker Marker, bool Whole)? Read(string path)
    {
        try
        {
            if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && ReadSvg(path) is { } svg) return svg;
            if (OutputMarkerReader.Read(path) is not { Marker: { } marker } marked || !IsPlotSettings(marker.Settings)) return null;
            return (marker, marked.Complete && OutputProvenance.Damage(path) is null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Imaging.IO.SpecialFileException)
        {
            return null;
        }
    }

    private static (OutputMarker, bool)? ReadSvg(string path)
    {
        if (Imaging.IO.FileIdentity.TryGet(path, out Imaging.IO.FileIdentity identity) && identity.Kind != Imaging.IO.FileKind.Regular) return null;
        using FileStream stream = Imaging.IO.RegularFileReader.Open(path, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        var head = new byte[SvgHeadBytes];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        string text = Encoding.UTF8.GetString(head, 0, read);
        int start = text.IndexOf(SvgCommentStart, StringComparison.Ordinal);
        if (start < 0) return null;
        start += SvgCommentStart.Length;
        int end = text.IndexOf(" -->", start, StringComparison.Ordinal);
        if (end < 0 || OutputMarker.Parse(text[start..end]) is not { } marker || !IsPlotSettings(marker.Settings)) return null;
        stream.Position = 0;
        return (marker, WellFormed(stream));
    }

    private static bool WellFormed(Stream stream)
    {
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (reader.Read())
            {
            }
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static bool IsSvg(byte[] plot) => plot.Length > 0 && plot[0] == (byte)'<';

    /// <summary>Where the XML declaration ends (after its line break), or 0 without one.</summary>
    private static int DeclarationEnd(byte[] svg)
    {
        if (!svg.AsSpan().StartsWith("<?xml"u8)) return 0;
        int close = svg.AsSpan().IndexOf("?>"u8);
        if (close < 0) return 0;
        int at = close + 2;
        if (at < svg.Length && svg[at] == (byte)'\r') at++;
        if (at < svg.Length && svg[at] == (byte)'\n') at++;
        return at;
    }
}
