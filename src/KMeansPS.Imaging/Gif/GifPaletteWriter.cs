using System.Text;
using KMeansPS.Imaging.Provenance;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Gif;

/// <summary>
/// Writes palette indices as a GIF89a with our palette as its global colour table, the indices as they are
/// (<see cref="GifLzwEncoder"/>). ImageSharp's encoder, used before, mapped each pixel's colour back to an index
/// through a cache keyed by reduced-precision colours, so close palette entries (many colours, dithering) came out
/// as each other and the file was not the image measured. GIF has one fully transparent index and no partial alpha:
/// entries must have alpha 0 or 255; the first transparent entry is named in a graphic control extension. A
/// <see cref="OutputMarker"/> goes into a comment extension before the image.
/// </summary>
internal static class GifPaletteWriter
{
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        CancellationToken cancellationToken = default) => Write(output, width, height, indices, palette, marker: null, cancellationToken);

    /// <summary>As the overload without <paramref name="marker"/>, with the marker as a comment when not null.</summary>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        OutputMarker? marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (width is < 1 or > ushort.MaxValue || height is < 1 or > ushort.MaxValue)
            throw new ArgumentException($"A GIF is 1 to 65,535 pixels each way; this image is {width} x {height}.", nameof(width));
        if (indices.Length != (long)width * height) throw new ArgumentException("Expected one index per pixel.", nameof(indices));
        if (palette.Length is 0 or > 256) throw new ArgumentException("A GIF palette holds 1 to 256 entries.", nameof(palette));
        int transparent = -1;
        for (int e = 0; e < palette.Length; e++)
        {
            if (palette[e].A is not (0 or 255))
                throw new ArgumentException($"Palette entry {e} has alpha {palette[e].A}; GIF stores only opaque or fully transparent colours.", nameof(palette));
            if (palette[e].A == 0 && transparent < 0) transparent = e;
        }
        int tableBits = 1; // the colour table holds 2^tableBits entries, at least 2
        while (1 << tableBits < palette.Length) tableBits++;
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= palette.Length) throw new ArgumentException($"Index {indices[i]} at pixel {i} names no palette entry.", nameof(indices));
        }
        byte[] data = GifLzwEncoder.Encode(indices, Math.Max(2, tableBits), cancellationToken);

        var gif = new MemoryStream(data.Length + (data.Length / 255) + 3 * 256 + 256);
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.WriteByte((byte)(0x80 | (7 << 4) | (tableBits - 1))); // a global table; 8 bits of colour resolution
        gif.WriteByte(0); // background: entry 0
        gif.WriteByte(0); // no aspect ratio
        for (int e = 0; e < 1 << tableBits; e++)
        {
            Rgba32 c = e < palette.Length ? palette[e] : default;
            gif.WriteByte(c.R);
            gif.WriteByte(c.G);
            gif.WriteByte(c.B);
        }
        if (marker is not null)
        {
            gif.WriteByte(0x21);
            gif.WriteByte(0xFE);
            WriteSubBlocks(gif, Encoding.ASCII.GetBytes(OutputMarker.GifCommentPrefix + marker.ToText()));
        }
        if (transparent >= 0)
        {
            // Graphic control extension: no disposal, no user input, a transparent index; no delay.
            gif.Write([0x21, 0xF9, 4, 1, 0, 0, (byte)transparent, 0]);
        }
        gif.WriteByte(0x2C);
        WriteUInt16(gif, 0);
        WriteUInt16(gif, 0);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.WriteByte(0); // no local table, not interlaced
        gif.WriteByte((byte)Math.Max(2, tableBits));
        WriteSubBlocks(gif, data);
        gif.WriteByte(0x3B);
        cancellationToken.ThrowIfCancellationRequested();
        gif.Position = 0;
        gif.CopyTo(output);
    }

    private static void WriteUInt16(Stream output, int value)
    {
        output.WriteByte((byte)value);
        output.WriteByte((byte)(value >> 8));
    }

    /// <summary>Data cut into sub-blocks of at most 255 bytes, each after its length, then the empty block that ends them.</summary>
    private static void WriteSubBlocks(Stream output, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i += 255)
        {
            int n = Math.Min(255, data.Length - i);
            output.WriteByte((byte)n);
            output.Write(data.Slice(i, n));
        }
        output.WriteByte(0);
    }
}
