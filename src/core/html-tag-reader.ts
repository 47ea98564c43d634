/**
 * The start-tag half of an htmlparser2 `Tokenizer` callback object, shared by the page readers (the web
 * probe's page facts, the dark-web crawler's pages): the tag name and its attributes (lower-case names,
 * the first of a repeated attribute kept, character references decoded), and no-op callbacks for what
 * the readers ignore. Subclasses add the rest (open, close and text callbacks). No dependencies: the
 * tokenizer is handed an instance.
 */
export abstract class HtmlTagReader {
  protected tagName = '';
  protected attributes = new Map<string, string>();
  private attributeName = '';
  private attributeValue = '';

  /** `html`: the input the tokenizer reads; `valueLimit`: longest attribute value kept (hostile pages). */
  constructor(
    protected readonly html: string,
    private readonly valueLimit = Number.POSITIVE_INFINITY,
  ) {}

  onopentagname(start: number, end: number): void {
    this.tagName = this.html.slice(start, end).toLowerCase();
    this.attributes = new Map();
  }
  onattribname(start: number, end: number): void {
    this.attributeName = this.html.slice(start, end).toLowerCase();
    this.attributeValue = '';
  }
  onattribdata(start: number, end: number): void {
    if (this.attributeValue.length < this.valueLimit)
      this.attributeValue += this.html.slice(start, Math.min(end, start + this.valueLimit));
  }
  onattribentity(codePoint: number): void {
    if (this.attributeValue.length < this.valueLimit) this.attributeValue += String.fromCodePoint(codePoint);
  }
  onattribend(): void {
    if (!this.attributes.has(this.attributeName)) this.attributes.set(this.attributeName, this.attributeValue);
  }
  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
  onend(): void {}
}
