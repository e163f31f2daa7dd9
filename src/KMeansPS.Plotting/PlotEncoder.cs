using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace KMeansPS.Plotting;

/// <summary>
/// Encodes a ScottPlot plot as PNG or SVG bytes. Writing files is the caller's: with the whole plot in hand first, a
/// failed render can never leave a partial file.
/// </summary>
internal static class PlotEncoder
{
    public static byte[] Encode(ScottPlot.Plot plot, PlotOptions options)
    {
        if (PlotFonts.Family is string family) plot.Font.Set(family);
        // A legend panel beside the axes is sized from the legend's previous render; without one it is sized for a
        // single column and a legend that wraps into two (many clusters) is cut off at the image edge.
        plot.RenderInMemory(options.Width, options.Height);
        if (options.Format == PlotFormat.Png) return plot.GetImageBytes(options.Width, options.Height, ScottPlot.ImageFormat.Png);

        // Parsing proves the SVG well-formed before anything is written. Its text names the font's own family
        // (DejaVu Sans); a generic fallback keeps a viewer without that font from using a serif face.
        XDocument svg = XDocument.Parse(plot.GetSvgXml(options.Width, options.Height));
        foreach (XAttribute font in svg.Descendants().Attributes("font-family"))
        {
            if (!font.Value.Contains("sans-serif", StringComparison.Ordinal)) font.Value += ", sans-serif";
        }
        NumberClipPaths(svg);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            svg.Save(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The canvas names its clip paths from a counter of the process, so the same plot drawn twice in one session had
    /// other names and other bytes; named here in document order, the same plot is the same bytes in any session.
    /// </summary>
    private static void NumberClipPaths(XDocument svg)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XElement clip in svg.Descendants().Where(e => e.Name.LocalName == "clipPath"))
        {
            if (clip.Attribute("id") is not { } id || names.ContainsKey(id.Value)) continue;
            names[id.Value] = "kmeansps-clip-" + (names.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            id.Value = names[id.Value];
        }
        if (names.Count == 0) return;
        foreach (XAttribute attribute in svg.Descendants().Attributes().Where(a => a.Value.Contains("url(#", StringComparison.Ordinal)))
        {
            attribute.Value = Regex.Replace(attribute.Value, @"url\(#([^)]+)\)",
                m => names.TryGetValue(m.Groups[1].Value, out string? name) ? $"url(#{name})" : m.Value);
        }
    }
}
