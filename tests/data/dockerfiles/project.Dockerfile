FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install .
RUN pip install ".[dev]"
RUN pip install -e .
RUN pip install -r requirements.txt
RUN pip install -r requirements.txt flask
RUN pip install -c constraints.txt flask
