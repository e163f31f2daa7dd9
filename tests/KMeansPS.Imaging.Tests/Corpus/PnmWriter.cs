using System.Text;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>PBM, PGM and PPM files written by hand, in the layouts the specification allows.</summary>
internal static class PnmWriter
{
    /// <summary>
    /// A file of kind P1 to P6 with the given samples (0/1 for bitmaps; 0..maxValue otherwise; three per pixel for
    /// PPM). <paramref name="comment"/> goes into the header; plain files put <paramref name="perLine"/> samples on a line.
    /// </summary>
    public static byte[] Write(char kind, int width, int height, int maxValue, int[] samples, string? comment = null, int perLine = 12,
        bool spacedBits = true)
    {
        var header = new StringBuilder();
        header.Append('P').Append(kind).Append('\n');
        if (comment is not null) header.Append("# ").Append(comment).Append('\n');
        header.Append(width).Append(' ').Append(height).Append('\n');
        if (kind is not ('1' or '4')) header.Append(maxValue).Append('\n');
        var file = new List<byte>(Encoding.ASCII.GetBytes(header.ToString()));
        switch (kind)
        {
            case '1' or '2' or '3':
                var text = new StringBuilder();
                for (int i = 0; i < samples.Length; i++)
                {
                    text.Append(samples[i]);
                    bool lineEnd = (i + 1) % perLine == 0 || i == samples.Length - 1;
                    if (lineEnd) text.Append('\n');
                    else if (kind != '1' || spacedBits) text.Append(' ');
                }
                file.AddRange(Encoding.ASCII.GetBytes(text.ToString()));
                break;
            case '4':
                int rowBytes = (width + 7) / 8;
                for (int y = 0; y < height; y++)
                {
                    var row = new byte[rowBytes];
                    for (int x = 0; x < width; x++)
                        if (samples[y * width + x] != 0) row[x / 8] |= (byte)(0x80 >> (x % 8));
                    file.AddRange(row);
                }
                break;
            default:
                foreach (int s in samples)
                {
                    if (maxValue > 255) file.Add((byte)(s >> 8));
                    file.Add((byte)s);
                }
                break;
        }
        return file.ToArray();
    }

    /// <summary>
    /// A PAM (P7) as netpbm writes it: WIDTH, HEIGHT, DEPTH, MAXVAL and TUPLTYPE lines, ENDHDR, then the samples
    /// (<paramref name="depth"/> a pixel, two bytes big-endian above maximum 255) right after ENDHDR's line feed.
    /// </summary>
    public static byte[] Pam(int width, int height, int depth, int maxValue, int[] samples, string tupleType = "GRAYSCALE")
    {
        var file = new List<byte>(Encoding.ASCII.GetBytes(
            $"P7\nWIDTH {width}\nHEIGHT {height}\nDEPTH {depth}\nMAXVAL {maxValue}\nTUPLTYPE {tupleType}\nENDHDR\n"));
        foreach (int s in samples)
        {
            if (maxValue > 255) file.Add((byte)(s >> 8));
            file.Add((byte)s);
        }
        return file.ToArray();
    }

    /// <summary>Seeded samples for a file of the given kind.</summary>
    public static int[] Samples(char kind, int width, int height, int maxValue, int seed)
    {
        var random = new Random(seed);
        int channels = kind is '3' or '6' ? 3 : 1;
        bool bitmap = kind is '1' or '4';
        var samples = new int[width * height * channels];
        for (int i = 0; i < samples.Length; i++) samples[i] = bitmap ? random.Next(2) : random.Next(maxValue + 1);
        return samples;
    }
}
