using System.Buffers.Binary;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Webp;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// The one WebP chunk walk (<see cref="RiffChunks"/>) against a plain walk written from the RIFF rules, on the seeded
/// chunk corpus (<see cref="WebpChunkCorpus"/>): a chunk is a four-byte name, a little-endian 32-bit size and that many
/// bytes, plus a pad byte when the size is odd; a size past the bytes walked cuts the chunk short and ends the walk; so
/// does a header that no longer fits. Walked to the RIFF's end (or the file's), to the file's end, and as an ANMF
/// frame's sub-chunks are (from byte 16 of its data).
/// </summary>
public sealed class WebpRiffChunksTests
{
    private readonly record struct Chunk(int Offset, string Name, long Size, int PayloadLength, bool Cut, int End);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EveryChunkIsTheOneThePlainWalkFinds(int seed)
    {
        int files = 0, oddPadded = 0, padMissing = 0, cut = 0, leftOver = 0;
        foreach ((string name, byte[] still) in WebpChunkCorpus.Bases(seed))
            foreach ((string what, byte[] file) in WebpChunkCorpus.Mutants(name, still, seed * 1000 + name.Length))
            {
                if (file.Length < 12) continue;
                files++;
                int riffEnd = (int)Math.Min(file.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) + 8L);
                foreach ((string bound, byte[] bytes, int start) in (IEnumerable<(string, byte[], int)>)
                    [("in the RIFF", file[..riffEnd], 12), ("to the file's end", file, 12), ("as sub-chunks", file, 16)])
                {
                    (List<Chunk> expected, int rest) = PlainWalk(bytes, start);
                    List<Chunk> walked = Walk(bytes, start, out int walkedRest);
                    Assert.True(expected.SequenceEqual(walked),
                        $"{what}, {bound}: expected {string.Join(", ", expected)}; walked {string.Join(", ", walked)}");
                    Assert.True(rest == walkedRest, $"{what}, {bound}: the walk stopped at {walkedRest}, not {rest}");
                    oddPadded += expected.Count(c => !c.Cut && c.Size % 2 == 1 && c.End == c.Offset + 8 + c.Size + 1);
                    padMissing += expected.Count(c => !c.Cut && c.Size % 2 == 1 && c.End == c.Offset + 8 + c.Size);
                    cut += expected.Count(c => c.Cut);
                    leftOver += rest < bytes.Length ? 1 : 0;
                }
            }
        // The corpus holds every case the rules tell apart.
        Assert.True(files > 1000, $"{files} files");
        Assert.True(oddPadded > 0 && padMissing > 0 && cut > 0 && leftOver > 0, $"odd padded {oddPadded}, pad missing {padMissing}, cut {cut}, bytes left over {leftOver}");
    }

    [Fact]
    public void WalkingAFilesChunksAllocatesNothing()
    {
        (string name, byte[] file) = WebpChunkCorpus.Bases(5).Single(b => b.Name == "lossy-metadata");
        Assert.Equal(6, Count(file)); // VP8X, ICCP, ALPH, VP8, EXIF, XMP; and a warm-up (JIT is not the walk's)
        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = Count(file);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{name}: {allocated} bytes allocated to walk {count} chunks");
    }

    private static int Count(byte[] file)
    {
        int count = 0;
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
            count += chunk.IsCut ? 0 : 1;
        return count;
    }

    /// <summary>The chunks as the RIFF rules give them, in plain arithmetic on 64-bit offsets; and where the walk stops.</summary>
    private static (List<Chunk> Chunks, int StopsAt) PlainWalk(byte[] bytes, int start)
    {
        var chunks = new List<Chunk>();
        long at = start;
        while (at + 8 <= bytes.Length)
        {
            long size = (uint)(bytes[at + 4] | bytes[at + 5] << 8 | bytes[at + 6] << 16 | bytes[at + 7] << 24);
            long dataEnd = at + 8 + size;
            if (dataEnd > bytes.Length)
            {
                chunks.Add(new Chunk((int)at, Name(bytes, (int)at), size, bytes.Length - (int)at - 8, true, bytes.Length));
                return (chunks, bytes.Length);
            }
            long next = size % 2 == 1 && dataEnd < bytes.Length ? dataEnd + 1 : dataEnd;
            chunks.Add(new Chunk((int)at, Name(bytes, (int)at), size, (int)size, false, (int)next));
            at = next;
        }
        return (chunks, (int)Math.Min(at, bytes.Length));
    }

    private static List<Chunk> Walk(byte[] bytes, int start, out int rest)
    {
        var chunks = new List<Chunk>();
        var walk = new RiffChunks(bytes, start);
        while (walk.MoveNext())
        {
            RiffChunk chunk = walk.Current;
            // The data is the bytes after the header, not a copy: compared where it lies.
            Assert.True(chunk.Payload.Length == 0 || chunk.Payload.Overlaps(bytes.AsSpan(chunk.PayloadOffset, chunk.Payload.Length), out int offset) && offset == 0);
            Assert.Equal(chunk.Offset + 8, chunk.PayloadOffset);
            chunks.Add(new Chunk(chunk.Offset, Name(bytes, chunk.Offset), chunk.Size, chunk.Payload.Length, chunk.IsCut, chunk.End));
            Assert.True(chunk.FourCc.SequenceEqual(bytes.AsSpan(chunk.Offset, 4)));
        }
        rest = walk.Rest;
        return chunks;
    }

    private static string Name(byte[] bytes, int at) => Convert.ToHexString(bytes, at, 4);
}
