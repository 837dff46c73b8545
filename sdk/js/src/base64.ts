// Base64, the JSON mapping of protobuf `bytes` (RoomSnapshot.data, InputFrame.data). atob/btoa are globals in
// browsers and in Node 16+.

/** Base64 text to bytes; '' or undefined is no bytes. Throws a DOMException for text that is not base64. */
export function fromBase64(text: string | undefined): Uint8Array {
  const raw = atob(text ?? '');
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** Bytes to base64 text. */
export function toBase64(bytes: Uint8Array | readonly number[]): string {
  let raw = '';
  for (const byte of bytes) raw += String.fromCharCode(byte);
  return btoa(raw);
}
