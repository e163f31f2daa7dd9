using System.Buffers.Binary;
using KMeansPS.Imaging.Webp;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// WebP: the RIFF size against the file's length, every chunk's size against the RIFF, the VP8 and VP8L headers
/// (dimensions), VP8X with its canvas, and ANIM/ANMF animation frames.
/// </summary>
/// <remarks>
/// Damage: a RIFF size larger than the file ("the RIFF size says 52,000 bytes but the file has 5,200"), a chunk
/// that runs past the RIFF's end, no VP8/VP8L image chunk, a VP8 frame header that does not fit its chunk, lossy
/// data too small for the size it declares (see <see cref="MaxVp8PixelsPerByte"/>). Unsupported: animation
/// (ImageSharp 2.1 refuses it; <see cref="IntegrityReport.Frames"/> gives the frame count). Tolerated, as libwebp reads
/// them: a VP8X alpha flag over lossy data without an ALPH chunk (shown opaque) or clear over one (its alpha applied),
/// ALPH chunks after the image data, which libwebp never reads (the alpha checked is the last ALPH before it, libwebp's),
/// bytes after the RIFF's end, and inside it, after a still image's data, bytes that are no whole chunk (zeros padding the
/// RIFF, a chunk whose size runs past its end) and animation frames (ANMF) there, which libwebp never reads either, and a
/// still's (no VP8X animation flag) ANIM and ANMF chunks before its image data, which libwebp skips. Damaged too, as libwebp refuses them: a RIFF size one past the file (a missing pad byte),
/// a still image's VP8X canvas of another size than its bitstream, an extended file's odd-sized image chunk whose pad byte
/// lies past the RIFF's end (a simple file's libwebp reads). Lossless (VP8L) data and lossy (VP8) data are walked as a
/// decoder reads them (<see cref="Vp8LDataCheck"/>, <see cref="Vp8DataCheck"/>), so data that ends before the pixels
/// its header claims is damaged.
/// </remarks>
internal static class WebpScanner
{
    /// <summary>
    /// A key frame spends at least about 1.6 bits per 16 x 16 macroblock on its fixed-probability luma and
    /// chroma modes (about 160 pixels per byte); 4,096 pixels per byte of VP8 data leaves a wide margin.
    /// </summary>
    internal const long MaxVp8PixelsPerByte = 4096;

    public static IntegrityReport Scan(ReadOnlySpan<byte> file, IntegrityOptions options)
    {
        var found = new ScanFindings(ImageFileFormat.Webp);
        long declared = RiffChunks.DeclaredEnd(file);
        if (declared < 20) return found.Damaged($"the RIFF size says {Plain.Bytes(declared)}, too small for any WebP image");

        string? problem = null;
        bool extended = false, animated = false, sawImage = false, lossy = false;
        int frames = 0, stillFrames = 0;
        string? stillFrameProblem = null;
        long canvasWidth = 0, canvasHeight = 0;
        int alphaAt = -1, alphaLength = 0;
        int index = 0;
        (string Name, long Size) previous = ("", 0);
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            ReadOnlySpan<byte> type = chunk.FourCc;
            long size = chunk.Size;
            int payloadStart = chunk.PayloadOffset;
            string name = Plain.FourCc(type).TrimEnd();
            bool cut = chunk.IsCut;
            ReadOnlySpan<byte> payload = chunk.Payload;
            bool isImage = chunk.IsImage;
            if (index == 0 && !isImage && !type.SequenceEqual("VP8X"u8))
                return found.Damaged($"the first WebP chunk is '{name}', not VP8, VP8L or VP8X");
            // Past a still image's data libwebp reads nothing: bytes there that are no whole chunk (zeros padding the
            // RIFF, a chunk whose size runs past its end) are ignored, as the decode ignores them (Webp.UnreadTail).
            if (sawImage && !animated && (cut || !chunk.HasChunkName)) break;
            if (cut)
            {
                if (isImage && !sawImage) ReadBitstream(found, type, payload); // for the size in the report
                // Bytes that are no chunk's name: the chunk before them gave a wrong size (or the file is damaged there).
                problem = index > 0 && !chunk.HasChunkName
                    ? $"the bytes after the WebP {previous.Name} chunk ({Plain.Bytes(previous.Size)} by its size) do not start a chunk (they read {Convert.ToHexString(type)}): that chunk's size is wrong, or the file is damaged there"
                    : file.Length < declared
                    ? $"the RIFF size says {Plain.Bytes(declared)} but the file has {Plain.N(file.Length)}: it ends inside the {name} chunk"
                    : $"the WebP {name} chunk says {Plain.Bytes(size)} but only {Plain.N(payload.Length)} remain in the file";
                break;
            }

            if (type.SequenceEqual("VP8X"u8) && index == 0)
            {
                if (payload.Length < 10) return found.Damaged("the WebP VP8X chunk is too short");
                extended = true;
                animated = (payload[0] & 0x02) != 0;
                canvasWidth = ReadUInt24(payload[4..]) + 1L;
                canvasHeight = ReadUInt24(payload[7..]) + 1L;
                found.Width = canvasWidth;
                found.Height = canvasHeight;
            }
            else if (isImage && !sawImage)
            {
                sawImage = true;
                lossy = type.SequenceEqual("VP8 "u8);
                // A chunk that says less than its data, which libwebp reads on to the end (Webp.ImageDataReadOn): its
                // data is read so here too, and ImageSharp's copy states the size read.
                ImageDataReadOn.Extent? readOn = ImageDataReadOn.Find(file, options.MaxPixels);
                int dataEnd = readOn?.End ?? chunk.End;
                if (readOn is not null) payload = file[payloadStart..dataEnd];
                string bitstreamProblem = ReadBitstream(found, type, payload);
                if (bitstreamProblem.Length > 0) return found.Damaged(bitstreamProblem);
                // libwebp keeps one check of the stated size: a VP8 first partition shorter than it.
                if (readOn is not null && lossy && (payload[0] | payload[1] << 8 | payload[2] << 16) >> 5 >= size)
                    return found.Damaged($"the WebP VP8 data says its first part is {Plain.Bytes((payload[0] | payload[1] << 8 | payload[2] << 16) >> 5)} but its chunk says {Plain.Bytes(size)}, which libwebp refuses");
                // A still image must fill its canvas exactly, as libwebp requires (a bitstream error otherwise).
                if (extended && !animated && (found.Width, found.Height) != (canvasWidth, canvasHeight))
                    return found.Damaged($"the WebP's canvas (VP8X) is {Plain.Size(canvasWidth, canvasHeight)} but its image is {Plain.Size(found.Width, found.Height)}, which libwebp refuses");
                // An odd-sized image chunk's pad byte past the RIFF's end: libwebp lets it go missing in a simple file
                // (and after any other chunk), not in an extended one ("bitstream error").
                if (extended && !animated && (size & 1) == 1 && payloadStart + size == declared)
                    return found.Damaged($"the WebP {name} chunk's size is odd ({Plain.Bytes(size)}) and its pad byte lies past the RIFF's end, which libwebp refuses in an extended (VP8X) file");
                // The data is walked to its end, lossless or lossy (partition by partition): cut short with its sizes set
                // to match, it was padded into a picture. libwebp reads on into the pad byte of an odd-sized chunk, and
                // ImageSharp takes it into the chunk, so the walks may read it too.
                ReadOnlySpan<byte> data = file[payloadStart..dataEnd];
                if (!lossy && Vp8LDataCheck.Problem(data, options.MaxPixels, out bool tooMany) is string lossless)
                    return tooMany ? found.Unsupported(lossless) : found.Damaged(lossless);
                if (lossy && !options.WalkLossyWebpFrame) found.LossyWebpFrame = (payloadStart, data.Length);
                else if (lossy && Vp8DataCheck.Problem(data, options.MaxPixels) is string lossyData) return found.Damaged(lossyData);
                // libwebp reads nothing after the image data, which here runs to the file's end.
                if (readOn is not null) break;
            }
            else if (type.SequenceEqual("ALPH"u8) && !sawImage)
            {
                // libwebp's alpha is the last ALPH chunk before the image data; it never reads one after it.
                (alphaAt, alphaLength) = (payloadStart, payload.Length);
            }
            else if (type.SequenceEqual("ANMF"u8) && animated)
            {
                frames++;
                problem ??= CheckFrame(payload, frames);
            }
            else if (type.SequenceEqual("ANMF"u8) && !sawImage)
            {
                // A still's (no animation flag): libwebp skips frames before the image data, as the decode does
                // (Webp.StillAnimationChunks); without image data after them the file is taken for an animation.
                stillFrames++;
                stillFrameProblem ??= CheckFrame(payload, stillFrames);
            }
            else if ((type.SequenceEqual("ICCP"u8) || type.SequenceEqual("EXIF"u8) || type.SequenceEqual("XMP "u8)) && size > options.MaxMetadataBytes)
            {
                found.AddOversized(new MetadataBlock(name, chunk.Offset, size, size));
            }
            previous = (name, size);
            index++;
        }

        if (!sawImage && stillFrames > 0)
            (frames, problem) = (stillFrames, problem ?? stillFrameProblem);
        if (animated || frames > 0)
        {
            found.Width = canvasWidth;
            found.Height = canvasHeight;
            found.Frames = Math.Max(frames, 1);
            found.DecodedPixels = Saturating.Multiply(found.Frames, canvasWidth, canvasHeight);
        }
        // libwebp refuses a RIFF size past the file's end, a missing pad byte after the last chunk included ("not enough data").
        if (problem is null && declared > file.Length)
            problem = $"the RIFF size says {Plain.Bytes(declared)} but the file has {Plain.N(file.Length)}";
        if (problem is not null) return found.Damaged(problem);
        if (animated || frames > 0)
        {
            if (frames == 0) return found.Damaged("the animated WebP holds no frames");
            return found.Unsupported($"the WebP is an animation of {Plain.N(frames)} frame{(frames == 1 ? "" : "s")}, which ImageSharp 2.1 does not decode");
        }
        if (!sawImage) return found.Damaged(extended ? "the WebP holds no image data (no VP8 or VP8L chunk)" : "the WebP holds no image data");
        // The ALPH header byte as libwebp checks it: reserved bits 0, pre-processing 0 or 1 (ImageSharp 2.1 reads the rest
        // of such a chunk as if it were valid).
        if (lossy && alphaAt >= 0 && alphaLength >= 1 && (file[alphaAt] >> 6 != 0 || ((file[alphaAt] >> 4) & 3) > 1))
            return found.Damaged($"the WebP's alpha header byte is invalid (0x{file[alphaAt]:X2}: reserved bits set or an unknown pre-processing)");
        // Alpha compressed losslessly (the low two bits of its first byte 1) is a VP8L stream without a header, of the
        // frame's size, which the VP8 chunk after it gives: walked as a lossless image is.
        if (lossy && alphaAt >= 0 && alphaLength > 1 && (file[alphaAt] & 3) == 1
            && Vp8LDataCheck.AlphaProblem(file.Slice(alphaAt + 1, alphaLength - 1), (int)found.Width, (int)found.Height, options.MaxPixels, out bool tooManyGroups) is string alpha)
            return tooManyGroups ? found.Unsupported(alpha) : found.Damaged(alpha);
        // Uncompressed alpha is one byte a pixel.
        if (lossy && alphaAt >= 0 && alphaLength >= 1 && (file[alphaAt] & 3) == 0 && alphaLength - 1L < found.Width * found.Height)
            return found.Damaged($"the WebP's alpha data holds {Plain.N(alphaLength - 1)} of the {Plain.Bytes(found.Width * found.Height)} its {Plain.Size(found.Width, found.Height)} pixels need");
        // The alpha flag over lossy data: libwebp goes by the ALPH chunk instead, showing the image opaque without one and
        // applying one whatever the flag says, and so does the decode (Webp.IgnoredVp8xBits sets the flag so for ImageSharp).
        return found.Intact();
    }

    /// <summary>Reads a VP8 or VP8L header into <paramref name="found"/>; returns the problem, or "" when none.</summary>
    private static string ReadBitstream(ScanFindings found, ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload)
    {
        if (type.SequenceEqual("VP8L"u8))
        {
            if (payload.Length < 5) return "the WebP VP8L chunk is too short for its header";
            if (payload[0] != 0x2F) return "the WebP VP8L chunk does not start with its signature byte";
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            found.Width = (bits & 0x3FFF) + 1;
            found.Height = ((bits >> 14) & 0x3FFF) + 1;
            return "";
        }
        if (payload.Length < 10) return "the WebP VP8 chunk is too short for its frame header";
        int tag = payload[0] | payload[1] << 8 | payload[2] << 16;
        long firstPartition = tag >> 5;
        if (!payload[3..6].SequenceEqual((ReadOnlySpan<byte>)[0x9D, 0x01, 0x2A])) return "the WebP VP8 frame header lacks its start code";
        found.Width = BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]) & 0x3FFF;
        found.Height = BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]) & 0x3FFF;
        if (found.Width == 0 || found.Height == 0) return $"the WebP VP8 header gives a size of {Plain.Size(found.Width, found.Height)}";
        if (firstPartition > payload.Length - 10)
            return $"the WebP VP8 data says its first part is {Plain.Bytes(firstPartition)} but the chunk holds {Plain.N(payload.Length - 10)}";
        if (found.Width * found.Height > MaxVp8PixelsPerByte * payload.Length)
            return $"the header claims {Plain.Size(found.Width, found.Height)} pixels but the WebP holds only {Plain.Bytes(payload.Length)} of VP8 data";
        return "";
    }

    /// <summary>An ANMF frame: a 16-byte header, then sub-chunks that must include a whole VP8 or VP8L chunk.</summary>
    private static string? CheckFrame(ReadOnlySpan<byte> payload, int frame)
    {
        if (payload.Length < 16) return $"the WebP animation frame {frame} is too short for its header";
        foreach (RiffChunk chunk in new RiffChunks(payload, 16))
        {
            if (chunk.IsCut) return $"the WebP animation frame {frame}'s {Plain.FourCc(chunk.FourCc).TrimEnd()} data runs past the frame";
            if (chunk.IsImage) return null;
        }
        return $"the WebP animation frame {frame} holds no image data";
    }

    private static int ReadUInt24(ReadOnlySpan<byte> data) => data[0] | data[1] << 8 | data[2] << 16;
}
