// Loaded by Interruption.Tests.ps1 with Add-Type: seeded source images of several formats written fast, and a full
// check of a PNG output (every chunk's CRC, the image data inflated to its exact size, IEND last, the KMeansPS marker),
// so the test never trusts the module to judge its own files.
using System;
using System.IO;
using System.IO.Compression;
using System.Text;

public static class InterruptionImages
{
    private static readonly uint[] Table = MakeTable();

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static uint Crc(byte[] data, int offset, int count)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = offset; i < offset + count; i++) crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>Smooth gradients, a few discs and seeded noise: many colours, as a photo has, in RGB rows.</summary>
    public static byte[] Pixels(int width, int height, int seed)
    {
        var random = new Random(seed);
        var rgb = new byte[width * height * 3];
        int discs = random.Next(2, 6);
        var cx = new int[discs]; var cy = new int[discs]; var r = new int[discs]; var col = new byte[discs * 3];
        for (int d = 0; d < discs; d++) { cx[d] = random.Next(width); cy[d] = random.Next(height); r[d] = random.Next(4, Math.Max(5, width / 3)); random.NextBytes(col.AsSpan(d * 3, 3)); }
        int noise = random.Next(0, 40);
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int i = (y * width + x) * 3;
            int red = 255 * x / Math.Max(1, width - 1), green = 255 * y / Math.Max(1, height - 1), blue = (x * y) % 256;
            for (int d = 0; d < discs; d++)
                if ((x - cx[d]) * (x - cx[d]) + (y - cy[d]) * (y - cy[d]) < r[d] * r[d]) { red = col[d * 3]; green = col[d * 3 + 1]; blue = col[d * 3 + 2]; }
            rgb[i] = Clamp(red + random.Next(-noise, noise + 1));
            rgb[i + 1] = Clamp(green + random.Next(-noise, noise + 1));
            rgb[i + 2] = Clamp(blue + random.Next(-noise, noise + 1));
        }
        return rgb;
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    /// <summary>Writes a seeded image as png, ppm, bmp or tga (by the path's extension).</summary>
    public static void Write(string path, int width, int height, int seed)
    {
        byte[] rgb = Pixels(width, height, seed);
        using var file = File.Create(path);
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".ppm":
                var header = Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n");
                file.Write(header); file.Write(rgb);
                break;
            case ".bmp":
                int stride = (width * 3 + 3) & ~3;
                var bmp = new byte[54];
                bmp[0] = (byte)'B'; bmp[1] = (byte)'M';
                BitConverter.TryWriteBytes(bmp.AsSpan(2), 54 + stride * height);
                BitConverter.TryWriteBytes(bmp.AsSpan(10), 54);
                BitConverter.TryWriteBytes(bmp.AsSpan(14), 40);
                BitConverter.TryWriteBytes(bmp.AsSpan(18), width);
                BitConverter.TryWriteBytes(bmp.AsSpan(22), height);
                BitConverter.TryWriteBytes(bmp.AsSpan(26), (short)1);
                BitConverter.TryWriteBytes(bmp.AsSpan(28), (short)24);
                file.Write(bmp);
                var row = new byte[stride];
                for (int y = height - 1; y >= 0; y--)
                {
                    for (int x = 0; x < width; x++) { int i = (y * width + x) * 3; row[x * 3] = rgb[i + 2]; row[x * 3 + 1] = rgb[i + 1]; row[x * 3 + 2] = rgb[i]; }
                    file.Write(row);
                }
                break;
            case ".tga":
                var tga = new byte[18];
                tga[2] = 2; // uncompressed true colour
                BitConverter.TryWriteBytes(tga.AsSpan(12), (short)width);
                BitConverter.TryWriteBytes(tga.AsSpan(14), (short)height);
                tga[16] = 24; tga[17] = 0x20; // top-left origin
                file.Write(tga);
                var bgr = new byte[rgb.Length];
                for (int i = 0; i < rgb.Length; i += 3) { bgr[i] = rgb[i + 2]; bgr[i + 1] = rgb[i + 1]; bgr[i + 2] = rgb[i]; }
                file.Write(bgr);
                break;
            default:
                file.Write(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
                var ihdr = new byte[13];
                WriteBig(ihdr, 0, (uint)width); WriteBig(ihdr, 4, (uint)height); ihdr[8] = 8; ihdr[9] = 2;
                Chunk(file, "IHDR", ihdr);
                var raw = new MemoryStream();
                for (int y = 0; y < height; y++) { raw.WriteByte(0); raw.Write(rgb, y * width * 3, width * 3); }
                var z = new MemoryStream();
                using (var zlib = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) { raw.Position = 0; raw.CopyTo(zlib); }
                Chunk(file, "IDAT", z.ToArray());
                Chunk(file, "IEND", Array.Empty<byte>());
                break;
        }
    }

    /// <summary>An uncompressed 8-bit RGB PPM of seeded noise, written row by row (a large image in a second or two).</summary>
    public static void WriteNoisePpm(string path, int width, int height, int seed)
    {
        var random = new Random(seed);
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n"));
        var row = new byte[width * 3];
        for (int y = 0; y < height; y++) { random.NextBytes(row); file.Write(row); }
    }

    private static void WriteBig(byte[] buffer, int at, uint value)
    {
        buffer[at] = (byte)(value >> 24); buffer[at + 1] = (byte)(value >> 16); buffer[at + 2] = (byte)(value >> 8); buffer[at + 3] = (byte)value;
    }

    private static uint ReadBig(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var buffer = new byte[12 + data.Length];
        WriteBig(buffer, 0, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, 0, 4, buffer, 4);
        data.CopyTo(buffer, 8);
        WriteBig(buffer, 8 + data.Length, Crc(buffer, 4, 4 + data.Length));
        stream.Write(buffer);
    }

    /// <summary>
    /// Null when <paramref name="path"/> is a whole PNG (every CRC right, the image data inflating to exactly the size
    /// its header gives, IEND last and nothing after it) carrying a KMeansPS marker; otherwise what is wrong.
    /// <paramref name="marker"/> is the marker's text.
    /// </summary>
    public static string Check(string path, out string marker)
    {
        marker = null;
        byte[] b = File.ReadAllBytes(path);
        byte[] signature = { 137, 80, 78, 71, 13, 10, 26, 10 };
        if (b.Length < 8 || !b.AsSpan(0, 8).SequenceEqual(signature)) return "no PNG signature";
        int at = 8; uint width = 0, height = 0; int depth = 0, colour = -1, interlace = 0;
        var idat = new MemoryStream();
        bool end = false;
        while (at + 12 <= b.Length)
        {
            uint length = ReadBig(b, at);
            if (at + 12 + length > b.Length) return $"chunk at {at} runs past the end";
            string type = Encoding.ASCII.GetString(b, at + 4, 4);
            if (ReadBig(b, at + 8 + (int)length) != Crc(b, at + 4, 4 + (int)length)) return $"bad CRC in {type}";
            if (type == "IHDR") { width = ReadBig(b, at + 8); height = ReadBig(b, at + 12); depth = b[at + 16]; colour = b[at + 17]; interlace = b[at + 20]; }
            else if (type == "IDAT") idat.Write(b, at + 8, (int)length);
            else if (type == "tEXt")
            {
                string text = Encoding.Latin1.GetString(b, at + 8, (int)length);
                if (text.StartsWith("KMeansPS\0", StringComparison.Ordinal)) marker = text.Substring(9);
            }
            at += 12 + (int)length;
            if (type == "IEND") { end = true; break; }
        }
        if (!end) return "no IEND";
        if (at != b.Length) return $"{b.Length - at} bytes after IEND";
        if (marker is null) return "no KMeansPS marker";
        if (interlace != 0) return "interlaced (not checked)";
        int channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0) return $"colour type {colour}";
        long rowBytes = (width * channels * depth + 7) / 8;
        long expected = height * (1 + rowBytes);
        idat.Position = 0;
        long inflated = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            for (int n; (n = z.Read(buffer)) > 0;) inflated += n;
        }
        catch (InvalidDataException ex)
        {
            return "image data does not inflate: " + ex.Message;
        }
        return inflated == expected ? null : $"image data inflates to {inflated} bytes, not {expected}";
    }
}
