using MediaServer.Media.Formats.H264;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A camera's H.264 elementary stream at a set bitrate, frame rate and GOP, already cut into RTP
/// payloads: SPS, PPS and an IDR slice open each GOP, P slices fill it, and an IDR is ten times a
/// P frame, as in a typical surveillance encoder. Each slice is a real, decodable picture
/// (320x240, baseline, CAVLC: the IDR a flat grey of 16x16 DC-predicted macroblocks, each P frame
/// all skipped macroblocks) followed by filler up to the size the bitrate asks for, which decoders
/// ignore once the picture's last macroblock is read; so players (ffmpeg) can decode what the
/// server forwards. The headers and macroblocks sit in each slice's first RTP payload, which
/// <see cref="LatencyStamp"/> leaves alone. P frames need a rising frame_num:
/// <see cref="WriteFrameNumber"/> sets it in the packet as it is sent.
/// </summary>
internal sealed class SyntheticH264
{
    public const int WidthInMacroblocks = 20;
    public const int HeightInMacroblocks = 15;
    private const int Log2MaxFrameNumber = 8;
    private const int KeyframeWeight = 10;

    // Baseline profile (constraint sets 0-2), level 3.1: what the SDP's profile-level-id 42e01f says.
    public static readonly byte[] Sps = SequenceParameterSet();
    public static readonly byte[] Pps = PictureParameterSet();
    private static readonly byte[] IdrSlice = IdrSliceHeaderAndMacroblocks();
    private static readonly byte[] PSlice = PSliceHeaderAndMacroblocks(out PSliceFrameNumberBit);
    private static readonly int PSliceFrameNumberBit;

    private readonly int _frameNumberOffset;

    public SyntheticH264(int bitrateKbps, int framesPerSecond, double gopSeconds, int maxPayload)
    {
        if (maxPayload < IdrSlice.Length + 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPayload), "A slice's header and macroblocks must fit in its first RTP payload.");
        }

        FramesPerSecond = framesPerSecond;
        FramesPerGop = Math.Max(1, (int)Math.Round(gopSeconds * framesPerSecond));
        int gopBytes = (int)(bitrateKbps * 1000L / 8 * FramesPerGop / framesPerSecond);
        int predictedBytes = Math.Max(64, gopBytes / (FramesPerGop - 1 + KeyframeWeight));
        var packetizer = new H264Packetizer(maxPayload);
        Keyframe = [.. Packetize(packetizer, Sps), .. Packetize(packetizer, Pps), .. Packetize(packetizer, Slice(IdrSlice, predictedBytes * KeyframeWeight))];
        Predicted = Packetize(packetizer, Slice(PSlice, predictedBytes));

        // The slice header follows the NAL header byte of a single NAL unit packet, or the FU
        // indicator and FU header of the first FU-A fragment.
        _frameNumberOffset = Predicted.Length == 1 ? 1 : 2;
    }

    public int FramesPerSecond { get; }

    public int FramesPerGop { get; }

    /// <summary>The RTP payloads of an IDR access unit (parameter sets first); the last ends the frame.</summary>
    public byte[][] Keyframe { get; }

    /// <summary>The RTP payloads of a P frame, frame_num 0: see <see cref="WriteFrameNumber"/>.</summary>
    public byte[][] Predicted { get; }

    public uint TimestampStep => (uint)(90_000 / FramesPerSecond);

    /// <summary>The SDP media section that describes this stream (payload type 96), with its parameter sets.</summary>
    public static string SdpMedia(string control) =>
        "m=video 0 RTP/AVP 96\r\n" +
        "a=rtpmap:96 H264/90000\r\n" +
        $"a=fmtp:96 packetization-mode=1;profile-level-id=42e01f;sprop-parameter-sets={Convert.ToBase64String(Sps)},{Convert.ToBase64String(Pps)}\r\n" +
        $"a=control:{control}\r\n";

    public byte[][] Frame(long index) => IsKeyframe(index) ? Keyframe : Predicted;

    public bool IsKeyframe(long index) => index % FramesPerGop == 0;

    /// <summary>
    /// Sets frame_num in <paramref name="firstPayload"/>, the copy of <c>Predicted[0]</c> about to be
    /// sent as frame <paramref name="index"/>: one more than the previous reference picture's, as
    /// decoders require (every frame here is a reference picture; the IDR's is 0).
    /// </summary>
    public void WriteFrameNumber(Span<byte> firstPayload, long index)
    {
        uint frameNumber = (uint)(index % FramesPerGop % (1 << Log2MaxFrameNumber));
        Span<byte> slice = firstPayload[_frameNumberOffset..];
        for (int i = 0; i < Log2MaxFrameNumber; i++)
        {
            int bit = PSliceFrameNumberBit + i;
            byte mask = (byte)(0x80 >> (bit % 8));
            bool set = ((frameNumber >> (Log2MaxFrameNumber - 1 - i)) & 1) != 0;
            slice[bit / 8] = (byte)(set ? slice[bit / 8] | mask : slice[bit / 8] & ~mask);
        }
    }

    private static byte[] SequenceParameterSet()
    {
        var sps = new H264BitWriter()
            .U(8, 66).U(8, 0xE0).U(8, 31) // profile_idc, constraint_set0..2, level_idc
            .Ue(0) // seq_parameter_set_id
            .Ue(Log2MaxFrameNumber - 4)
            .Ue(2) // pic_order_cnt_type 2: output order is decoding order, no POC in slices
            .Ue(1) // max_num_ref_frames
            .U(1, 0) // gaps_in_frame_num_value_allowed_flag
            .Ue(WidthInMacroblocks - 1).Ue(HeightInMacroblocks - 1)
            .U(1, 1) // frame_mbs_only_flag
            .U(1, 1) // direct_8x8_inference_flag
            .U(1, 0) // frame_cropping_flag
            .U(1, 0) // vui_parameters_present_flag
            .TrailingBits();
        return [0x67, .. sps.ToArray()];
    }

    private static byte[] PictureParameterSet()
    {
        var pps = new H264BitWriter()
            .Ue(0).Ue(0) // pic_parameter_set_id, seq_parameter_set_id
            .U(1, 0) // entropy_coding_mode_flag: CAVLC
            .U(1, 0) // bottom_field_pic_order_in_frame_present_flag
            .Ue(0) // num_slice_groups_minus1
            .Ue(0).Ue(0) // num_ref_idx_l0/l1_default_active_minus1
            .U(1, 0).U(2, 0) // weighted_pred_flag, weighted_bipred_idc
            .Se(0).Se(0).Se(0) // pic_init_qp_minus26, pic_init_qs_minus26, chroma_qp_index_offset
            .U(1, 0) // deblocking_filter_control_present_flag
            .U(1, 0) // constrained_intra_pred_flag
            .U(1, 0) // redundant_pic_cnt_present_flag
            .TrailingBits();
        return [0x68, .. pps.ToArray()];
    }

    private static byte[] IdrSliceHeaderAndMacroblocks()
    {
        var slice = new H264BitWriter()
            .Ue(0) // first_mb_in_slice
            .Ue(7) // slice_type: I, every slice of the picture
            .Ue(0) // pic_parameter_set_id
            .U(Log2MaxFrameNumber, 0) // frame_num
            .Ue(0) // idr_pic_id
            .U(1, 0).U(1, 0) // no_output_of_prior_pics_flag, long_term_reference_flag
            .Se(0); // slice_qp_delta
        for (int i = 0; i < WidthInMacroblocks * HeightInMacroblocks; i++)
        {
            slice.Ue(3) // mb_type I_16x16_2_0_0: DC prediction, no coded block pattern
                .Ue(0) // intra_chroma_pred_mode: DC
                .Se(0) // mb_qp_delta
                .U(1, 1); // Intra16x16DCLevel coeff_token: no coefficients (nC 0)
        }

        return [0x65, .. slice.ToArray()];
    }

    private static byte[] PSliceHeaderAndMacroblocks(out int frameNumberBit)
    {
        var slice = new H264BitWriter()
            .Ue(0) // first_mb_in_slice
            .Ue(5) // slice_type: P, every slice of the picture
            .Ue(0); // pic_parameter_set_id
        frameNumberBit = slice.BitCount;
        slice.U(Log2MaxFrameNumber, 0) // frame_num: set per frame
            .U(1, 0) // num_ref_idx_active_override_flag
            .U(1, 0) // ref_pic_list_modification_flag_l0
            .U(1, 0) // adaptive_ref_pic_marking_mode_flag: sliding window
            .Se(0) // slice_qp_delta
            .Ue(WidthInMacroblocks * HeightInMacroblocks); // mb_skip_run: the whole picture
        return [0x41, .. slice.ToArray()];
    }

    private static byte[] Slice(byte[] headerAndMacroblocks, int length)
    {
        byte[] nal = new byte[Math.Max(length, headerAndMacroblocks.Length + 1)];
        headerAndMacroblocks.CopyTo(nal, 0);
        for (int i = headerAndMacroblocks.Length; i < nal.Length; i++)
        {
            nal[i] = (byte)(0x80 | (i * 7)); // never a start-code-like run of zeros
        }

        return nal;
    }

    private static byte[][] Packetize(H264Packetizer packetizer, byte[] nal)
    {
        int count = packetizer.PayloadCount(nal.Length);
        var payloads = new byte[count][];
        var scratch = new byte[packetizer.MaxPayloadSize];
        for (int i = 0; i < count; i++)
        {
            int length = packetizer.WritePayload(nal, i, scratch);
            payloads[i] = scratch[..length];
        }

        return payloads;
    }
}
