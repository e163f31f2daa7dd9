using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// A chunk whose size is too small leaves the walk inside its data, where the next "chunk header" is whatever bytes are
/// there: the refusal names the chunk whose size is wrong, not the garbage read as a name ("the WebP ???? chunk").
/// </summary>
public class WebpChunkSizeTests
{
    [Theory]
    [InlineData(1, 6)] // ALPH
    [InlineData(1, 20)]
    public void A_chunk_size_too_small_is_blamed_on_that_chunk(int chunk, int shortBy)
    {
        using Image<Rgba32> image = CorpusImages.Noisy(23, 17, 8, alpha: true);
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        List<(string Type, byte[] Data)> chunks = WebpWriter.Chunks(stream.ToArray());
        Assert.Equal(["VP8X", "ALPH", "VP8 "], chunks.Select(c => c.Type));
        byte[] file = WebpWriter.Assemble(chunks);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);

        int at = 12;
        for (int i = 0; i < chunk; i++) at += 8 + chunks[i].Data.Length + (chunks[i].Data.Length & 1);
        string name = chunks[chunk].Type.TrimEnd();
        int size = chunks[chunk].Data.Length;
        byte[] lying = (byte[])file.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(lying.AsSpan(at + 4), size - shortBy);

        IntegrityReport report = FileIntegrity.Check(lying);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.StartsWith($"the bytes after the WebP {name} chunk ({size - shortBy} bytes by its size) do not start a chunk (they read ", report.Reason);
        Assert.EndsWith("that chunk's size is wrong, or the file is damaged there", report.Reason);
        Assert.DoesNotContain("?", report.Reason);
    }
}
