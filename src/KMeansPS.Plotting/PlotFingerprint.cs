using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KMeansPS.Plotting;

/// <summary>
/// What a plot shows, as 16 hex digits: a hash of its data and options, never of the drawing. A plot of the same data
/// drawn by another version of the module (another font, tick or layout, so other bytes) has the same fingerprint, so
/// a scheduled rerun after an upgrade can tell it from another plot at that name.
/// </summary>
internal static class PlotFingerprint
{
    public static string Of(ClusterPlotData data, PlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hash = new Builder("cluster", options);
        hash.Add(data.X).Add(data.Y).Add(data.Cluster).Add(data.CentroidX).Add(data.CentroidY)
            .Add(data.XLabel).Add(data.YLabel).Add(data.ClusterLabel);
        return hash.Finish();
    }

    public static string Of(CurvePlotData data, PlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hash = new Builder("curve", options);
        hash.Add(data.K).Add(data.Psnr).Add(data.KiloBytes).Add(data.SuggestedIndex ?? -1)
            .Add(data.XLabel).Add(data.LeftLabel).Add(data.RightLabel);
        return hash.Finish();
    }

    /// <summary>SHA-256 over each value with its length or presence, so no two different inputs run together.</summary>
    private sealed class Builder
    {
        private readonly ArrayBufferWriter<byte> _bytes = new(1024);

        internal Builder(string kind, PlotOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            Add(kind).Add(options.Width).Add(options.Height).Add(options.Title).Add((int)options.Format);
        }

        internal Builder Add(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.GetSpan(4), value);
            _bytes.Advance(4);
            return this;
        }

        internal Builder Add(string? text)
        {
            if (text is null) return Add(-1);
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            Add(utf8.Length);
            _bytes.Write(utf8);
            return this;
        }

        internal Builder Add(double[]? values)
        {
            if (values is null) return Add(-1);
            Add(values.Length);
            foreach (double value in values)
            {
                BinaryPrimitives.WriteInt64LittleEndian(_bytes.GetSpan(8), BitConverter.DoubleToInt64Bits(value));
                _bytes.Advance(8);
            }
            return this;
        }

        internal Builder Add(int[] values)
        {
            Add(values.Length);
            foreach (int value in values) Add(value);
            return this;
        }

        internal string Finish()
        {
            return Convert.ToHexString(SHA256.HashData(_bytes.WrittenSpan), 0, 8);
        }
    }
}
