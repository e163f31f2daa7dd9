using KMeansPS.Imaging;

namespace KMeansPS.Plotting;

/// <summary>Renders a ScottPlot plot to PNG or SVG through a temporary file, so no partial plot is ever left.</summary>
internal static class PlotWriter
{
    public static void Write(ScottPlot.Plot plot, string path, PlotOptions options)
    {
        if (PlotFonts.Family is string family) plot.Font.Set(family);
        if (options.Format == PlotFormat.Svg)
        {
            string svg = plot.GetSvgXml(options.Width, options.Height);
            AtomicFileWriter.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
                writer.Write(svg);
            });
        }
        else
        {
            byte[] png = plot.GetImageBytes(options.Width, options.Height, ScottPlot.ImageFormat.Png);
            AtomicFileWriter.Write(path, stream => stream.Write(png));
        }
    }
}
