using System.Text;
using System.Xml;
using System.Xml.Linq;
using KMeansPS.Imaging.IO;

namespace KMeansPS.Plotting;

/// <summary>Renders a ScottPlot plot to PNG or SVG bytes, and writes them through a temporary file so no partial plot is ever left.</summary>
internal static class PlotWriter
{
    public static byte[] Render(ScottPlot.Plot plot, PlotOptions options)
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
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            svg.Save(writer);
        }
        return buffer.ToArray();
    }

    public static void Write(ScottPlot.Plot plot, string path, PlotOptions options)
    {
        byte[] bytes = Render(plot, options);
        AtomicFileWriter.Write(path, stream => stream.Write(bytes));
    }
}
