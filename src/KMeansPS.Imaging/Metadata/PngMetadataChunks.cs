using System.IO.Compression;
using System.Text;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Where carried metadata goes in a PNG output, as the PNG specification orders it. Before PLTE: cICP, then iCCP (the
/// profile zlib-compressed, under its name) or sRGB, never both, then gAMA and cHRM, then pHYs (which only has to
/// come before IDAT). After PLTE and tRNS: the text chunks and eXIf, before IDAT, where readers look for them. (The
/// KMeansPS marker comes before all of these, right after IHDR, so that an output cut short still carries it.)
/// </summary>
internal static class PngMetadataChunks
{
    /// <summary>The chunks that go before PLTE.</summary>
    public static IReadOnlyList<AncillaryChunk> BeforePalette(CarriedMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var chunks = new List<AncillaryChunk>();
        chunks.AddRange(metadata.ColorChunks.Where(c => c.Type == "cICP"));
        if (metadata.IccProfile is { } profile) chunks.Add(new AncillaryChunk("iCCP", Iccp(metadata.IccName, profile)));
        else chunks.AddRange(metadata.ColorChunks.Where(c => c.Type == "sRGB"));
        chunks.AddRange(metadata.ColorChunks.Where(c => c.Type == "gAMA"));
        chunks.AddRange(metadata.ColorChunks.Where(c => c.Type == "cHRM"));
        if (metadata.Density is { } density) chunks.Add(new AncillaryChunk("pHYs", density.ToPhys()));
        return chunks;
    }

    /// <summary>The chunks that go after PLTE, tRNS and the marker, before IDAT.</summary>
    public static IReadOnlyList<AncillaryChunk> BeforeImageData(CarriedMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var chunks = new List<AncillaryChunk>(metadata.Text);
        if (metadata.Exif is { } exif) chunks.Add(new AncillaryChunk("eXIf", exif));
        return chunks;
    }

    /// <summary>iCCP data: the name (a PNG keyword), a zero byte, compression method 0, the zlib-compressed profile.</summary>
    internal static byte[] Iccp(string name, ReadOnlySpan<byte> profile)
    {
        using var output = new MemoryStream();
        output.Write(Encoding.Latin1.GetBytes(IccProfileInfo.ToKeyword(name) ?? IccProfileInfo.DefaultName));
        output.WriteByte(0);
        output.WriteByte(0);
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(profile);
        return output.ToArray();
    }
}
